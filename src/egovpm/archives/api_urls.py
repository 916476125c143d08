"""API endpoints of the archives app (and the documents' archive endpoint), included under
/api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.archives import api
from egovpm.documents import api as documents_api

urlpatterns = [
    path(
        "projects/<str:project_id>/archive-acceptances",
        api.ArchiveAcceptanceListView.as_view(),
        name="archive-acceptances",
    ),
    path(
        "projects/<str:project_id>/archive-completeness",
        api.ArchiveCompletenessView.as_view(),
        name="archive-completeness",
    ),
    path(
        "projects/<str:project_id>/completion-acceptances",
        api.CompletionAcceptanceListView.as_view(),
        name="completion-acceptances",
    ),
    path("projects/<str:project_id>/archive-package", api.ArchivePackageView.as_view(), name="archive-package"),
    path("documents/<str:document_id>/archive", documents_api.DocumentArchiveView.as_view(), name="document-archive"),
]
