"""API endpoints of the portfolio app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.portfolio import api, record_api

urlpatterns = [
    path("portfolio/summary", api.SummaryView.as_view(), name="portfolio-summary"),
    path("departments/<str:code>/record", record_api.DepartmentRecordView.as_view(), name="department-record"),
]
