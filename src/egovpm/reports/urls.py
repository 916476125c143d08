"""Web pages of the reports app, included at the site root in namespace "web" (config/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
