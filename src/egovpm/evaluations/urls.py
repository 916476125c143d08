"""Web pages of the evaluations app, included at the site root in namespace "web" (config/urls.py)."""

from django.urls import path

from egovpm.evaluations import views

urlpatterns = [
    path("projects/<uuid:pk>/post-evaluation/", views.tab, name="project_evaluations"),
    path("projects/<uuid:pk>/post-evaluations/", views.evaluation_add, name="evaluations_add"),
    path("evaluation-templates/", views.template_index, name="evaluation_templates"),
    path("evaluation-templates/<uuid:template_id>/", views.template_detail, name="evaluation_template"),
]
