"""Web pages of the audit app, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import URLPattern, path

from egovpm.audit import views

urlpatterns: list[URLPattern] = [
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
