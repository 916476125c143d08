"""Web pages of the projects app, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import URLPattern, path

from egovpm.projects import views

urlpatterns: list[URLPattern] = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<uuid:pk>/", views.project_detail, name="project_detail"),
    path("projects/<uuid:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<uuid:pk>/transition/", views.project_transition, name="project_transition"),
    path("projects/<uuid:pk>/compliance/", views.compliance, name="project_compliance"),
    path("projects/<uuid:pk>/assignments/", views.assignments, name="project_assignments"),
    # The first release's tab URL (htmx): redirects to the tab's own page.
    path("projects/<uuid:pk>/tab/<slug:tab>/", views.project_tab, name="project_tab"),
]
