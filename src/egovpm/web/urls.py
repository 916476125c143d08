from django.urls import include, path

from egovpm.web import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<uuid:pk>/", views.project_detail, name="project_detail"),
    path("projects/<uuid:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<uuid:pk>/transition/", views.project_transition, name="project_transition"),
    path("projects/<uuid:pk>/documents/", views.document_upload, name="document_upload"),
    path("projects/<uuid:pk>/assignments/", views.assignment_add, name="assignment_add"),
    path("projects/<uuid:pk>/tab/<slug:tab>/", views.project_tab, name="project_tab"),
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    # Domain apps add their pages in their own urls.py (same "web" namespace).
    path("", include("egovpm.budgets.urls")),
    path("", include("egovpm.reports.urls")),
    path("", include("egovpm.reviews.urls")),
    path("", include("egovpm.security.urls")),
    path("", include("egovpm.archives.urls")),
]
