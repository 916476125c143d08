"""API endpoints of the inspections app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.inspections import api

urlpatterns = [
    path("projects/<str:project_id>/inspections", api.InspectionListView.as_view(), name="inspections"),
    path("projects/<str:project_id>/rectifications", api.RectificationListView.as_view(), name="rectifications"),
    path("inspections/<str:inspection_id>", api.InspectionDetailView.as_view(), name="inspection"),
    path("inspections/<str:inspection_id>/findings", api.FindingListView.as_view(), name="inspection-findings"),
    path("inspections/<str:inspection_id>/issue", api.IssueView.as_view(), name="inspection-issue"),
    path("inspections/<str:inspection_id>/notice", api.NoticeView.as_view(), name="inspection-notice"),
    path("rectifications/<str:item_id>/answer", api.AnswerView.as_view(), name="rectification-answer"),
    path("rectifications/<str:item_id>/close", api.CloseView.as_view(), name="rectification-close"),
    path("rectifications/<str:item_id>/reopen", api.ReopenView.as_view(), name="rectification-reopen"),
]
