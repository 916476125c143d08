"""API endpoints of the budgets app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import URLPattern, path

from egovpm.budgets import api

urlpatterns: list[URLPattern] = [
    path("projects/<str:project_id>/estimate", api.EstimateView.as_view(), name="estimate"),
    path("projects/<str:project_id>/estimate/baselines", api.BaselineListView.as_view(), name="estimate-baselines"),
    path("projects/<str:project_id>/adjustments", api.AdjustmentListView.as_view(), name="adjustments"),
    path(
        "projects/<str:project_id>/adjustments/preview",
        api.AdjustmentPreviewView.as_view(),
        name="adjustment-preview",
    ),
    path("projects/<str:project_id>/expenditures", api.ExpenditureListView.as_view(), name="expenditures"),
    path(
        "projects/<str:project_id>/expenditures/import",
        api.ExpenditureImportView.as_view(),
        name="expenditures-import",
    ),
    path("projects/<str:project_id>/budget-execution", api.BudgetExecutionView.as_view(), name="budget-execution"),
    path("adjustments/<str:adjustment_id>", api.AdjustmentDetailView.as_view(), name="adjustment"),
    path("adjustments/<str:adjustment_id>/decide", api.AdjustmentDecideView.as_view(), name="adjustment-decide"),
    path("adjustments/<str:adjustment_id>/withdraw", api.AdjustmentWithdrawView.as_view(), name="adjustment-withdraw"),
    path("adjustments/<str:adjustment_id>/file", api.AdjustmentFileView.as_view(), name="adjustment-file"),
    path(
        "adjustments/<str:adjustment_id>/acknowledge",
        api.AdjustmentAcknowledgeView.as_view(),
        name="adjustment-acknowledge",
    ),
]
