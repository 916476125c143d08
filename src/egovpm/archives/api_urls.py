"""API endpoints of the archives app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
