"""API endpoints of the reports app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
