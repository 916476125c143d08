"""Web pages of the archives app, included at the site root in namespace "web" (config/urls.py)."""

from django.urls import path

from egovpm.archives import views

urlpatterns = [
    path("projects/<uuid:pk>/archives/", views.tab, name="project_archives"),
    path("archives/", views.archive_index, name="archives"),
    path(
        "projects/<uuid:pk>/documents/<uuid:document_id>/archive/",
        views.document_archive,
        name="archives_document_archive",
    ),
    path("projects/<uuid:pk>/archive-acceptances/", views.acceptance_add, name="archives_acceptance_add"),
]
