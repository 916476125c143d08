"""API endpoints of the reviews app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.reviews import api

urlpatterns = [
    path("projects/<str:project_id>/expert-reviews", api.ProjectReviewsView.as_view(), name="expert-reviews"),
    path("projects/<str:project_id>/needs-analysis", api.NeedsAnalysisView.as_view(), name="needs-analysis"),
    path(
        "projects/<str:project_id>/department-history",
        api.DepartmentHistoryView.as_view(),
        name="department-history",
    ),
    path("expert-reviews", api.ReviewListView.as_view(), name="expert-review-list"),
    path("expert-reviews/<str:review_id>", api.ReviewDetailView.as_view(), name="expert-review"),
    path("expert-reviews/<str:review_id>/opinions", api.OpinionView.as_view(), name="expert-review-opinions"),
    path(
        "expert-reviews/<str:review_id>/opinions/<str:username>/attachment",
        api.AttachmentView.as_view(),
        name="expert-review-attachment",
    ),
    path("expert-reviews/<str:review_id>/conclude", api.ConcludeView.as_view(), name="expert-review-conclude"),
    path("expert-reviews/<str:review_id>/document", api.ReviewDocumentView.as_view(), name="expert-review-document"),
    path("expert-reviews/<str:review_id>/draw", api.DrawReplayView.as_view(), name="expert-review-draw"),
    path("experts", api.ExpertListView.as_view(), name="experts"),
    path("experts/<str:username>", api.ExpertDetailView.as_view(), name="expert"),
    path("specialties", api.SpecialtyListView.as_view(), name="specialties"),
    path("specialties/<str:code>", api.SpecialtyDetailView.as_view(), name="specialty"),
]
