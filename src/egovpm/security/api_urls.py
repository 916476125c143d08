"""API endpoints of the security app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.security import api

urlpatterns = [
    path("projects/<str:project_id>/systems", api.SystemListView.as_view(), name="systems"),
    path("systems/<str:system_id>", api.SystemDetailView.as_view(), name="system"),
    path(
        "systems/<str:system_id>/network-exception",
        api.SystemExceptionView.as_view(),
        name="system-network-exception",
    ),
    path(
        "projects/<str:project_id>/risk-assessments",
        api.RiskAssessmentListView.as_view(),
        name="risk-assessments",
    ),
]
