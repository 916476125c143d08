"""Web pages of the security app, included at the site root in namespace "web" (config/urls.py)."""

from django.urls import path

from egovpm.security import views

urlpatterns = [
    path("projects/<uuid:pk>/security/", views.tab, name="project_security"),
    path("projects/<uuid:pk>/systems/", views.system_add, name="security_system_add"),
    path("projects/<uuid:pk>/systems/<uuid:system_id>/edit/", views.system_edit, name="security_system_edit"),
    path(
        "projects/<uuid:pk>/systems/<uuid:system_id>/exception/",
        views.system_exception,
        name="security_system_exception",
    ),
    path("projects/<uuid:pk>/risk-assessments/", views.risk_assessment_add, name="security_risk_add"),
]
