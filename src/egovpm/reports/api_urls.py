"""API endpoints of the reports app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.reports import api

P = "projects/<str:project_id>/reports"

urlpatterns = [
    path(P, api.ReportListView.as_view(), name="reports"),
    path(f"{P}/<str:period>", api.ReportDetailView.as_view(), name="report"),
    path(f"{P}/<str:period>/prefill", api.ReportPrefillView.as_view(), name="report-prefill"),
    path(f"{P}/<str:period>/draft", api.ReportDraftView.as_view(), name="report-draft"),
    path(f"{P}/<str:period>/submit", api.ReportSubmitView.as_view(), name="report-submit"),
    path(f"{P}/<str:period>/return", api.ReportReturnView.as_view(), name="report-return"),
    path(f"{P}/<str:period>/acknowledge", api.ReportAcknowledgeView.as_view(), name="report-acknowledge"),
    path(f"{P}/<str:period>/document", api.ReportDocumentView.as_view(), name="report-document"),
    path(f"{P}/<str:period>/document.pdf", api.ReportPdfView.as_view(), name="report-document-pdf"),
    path("reports/portfolio", api.PortfolioView.as_view(), name="report-portfolio"),
    path("reports/portfolio/export", api.PortfolioExportView.as_view(), name="report-portfolio-export"),
]
