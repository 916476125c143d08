"""API endpoints of the procurement app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.procurement import api

urlpatterns = [
    path("projects/<str:project_id>/procurements", api.ProcurementListView.as_view(), name="procurements"),
    path(
        "projects/<str:project_id>/procurements/import",
        api.ProcurementImportView.as_view(),
        name="procurements-import",
    ),
    path(
        "projects/<str:project_id>/procurements/template",
        api.ProcurementTemplateView.as_view(),
        name="procurements-template",
    ),
    path("procurements/<str:procurement_id>", api.ProcurementDetailView.as_view(), name="procurement"),
    path(
        "projects/<str:project_id>/procurement-shares",
        api.ProjectSharesView.as_view(),
        name="procurement-shares",
    ),
    path(
        "departments/<str:code>/procurement-shares",
        api.DepartmentSharesView.as_view(),
        name="department-procurement-shares",
    ),
    path("projects/<str:project_id>/delivery-modes", api.DeliveryModesView.as_view(), name="delivery-modes"),
]
