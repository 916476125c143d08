"""API endpoints of the evaluations app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.evaluations import api

urlpatterns = [
    path("projects/<str:project_id>/post-evaluations", api.PostEvaluationListView.as_view(), name="post-evaluations"),
    path("evaluation-templates", api.TemplateListView.as_view(), name="evaluation-templates"),
    path("evaluation-templates/<str:template_id>", api.TemplateDetailView.as_view(), name="evaluation-template"),
]
