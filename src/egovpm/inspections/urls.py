"""Web pages of the inspections app, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import path

from egovpm.inspections import views

urlpatterns = [
    path("projects/<uuid:pk>/inspections/", views.tab, name="project_inspections"),
    path("projects/<uuid:pk>/inspections/open/", views.inspection_open, name="inspections_open"),
    path(
        "projects/<uuid:pk>/inspections/<uuid:inspection_id>/findings/",
        views.finding_add,
        name="inspections_finding_add",
    ),
    path(
        "projects/<uuid:pk>/inspections/<uuid:inspection_id>/issue/",
        views.inspection_issue,
        name="inspections_issue",
    ),
    path("projects/<uuid:pk>/rectifications/<uuid:item_id>/answer/", views.item_answer, name="rectification_answer"),
    path("projects/<uuid:pk>/rectifications/<uuid:item_id>/close/", views.item_close, name="rectification_close"),
    path("projects/<uuid:pk>/rectifications/<uuid:item_id>/reopen/", views.item_reopen, name="rectification_reopen"),
    path("inspections/", views.inspection_index, name="inspections"),
]
