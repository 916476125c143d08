"""The UI: the shell's pages here, every other page in its app's urls.py (same "web" namespace)."""

from django.urls import include, path

from egovpm.web import people, views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("people/search/", people.people_search, name="people_search"),  # the name picker (NDRC)
    path("people/choices/<slug:source>/", people.people_choices, name="people_choices"),  # lists to tick
    path("", include("egovpm.projects.urls")),
    path("", include("egovpm.documents.urls")),
    path("", include("egovpm.audit.urls")),
    path("", include("egovpm.budgets.urls")),
    path("", include("egovpm.reports.urls")),
    path("", include("egovpm.reviews.urls")),
    path("", include("egovpm.security.urls")),
    path("", include("egovpm.archives.urls")),
    path("", include("egovpm.procurement.urls")),
    path("", include("egovpm.evaluations.urls")),
    path("", include("egovpm.inspections.urls")),
    path("", include("egovpm.portfolio.urls")),
    path("", include("egovpm.administration.urls")),  # the administrators' pages (三员分立)
    path("", include("egovpm.notifications.urls")),
]
