"""Web pages of the reports app, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import path

from egovpm.reports import views

R = "projects/<uuid:pk>/reports/<str:period>"

urlpatterns = [
    path("reports/", views.report_home, name="report_home"),
    path("reports/export.xlsx", views.report_portfolio_export, name="report_portfolio_export"),
    path("projects/<uuid:pk>/reports/", views.tab, name="project_reports"),
    path(f"{R}/", views.report_detail, name="report_detail"),
    path(f"{R}/submit/", views.report_submit, name="report_submit"),
    path(f"{R}/draft/", views.report_draft, name="report_draft"),
    path(f"{R}/report.pdf", views.report_pdf, name="report_pdf_document"),
    path(f"{R}/return/", views.report_return, name="report_return"),
    path(f"{R}/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
]
