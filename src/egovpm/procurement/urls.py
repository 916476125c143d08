"""Web pages of the procurement app, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import path

from egovpm.procurement import views

urlpatterns = [
    path("projects/<uuid:pk>/procurement/", views.tab, name="project_procurement"),
    path("projects/<uuid:pk>/procurement/add/", views.add, name="procurement_add"),
    path("projects/<uuid:pk>/procurement/<uuid:item_id>/edit/", views.edit, name="procurement_edit"),
    path("projects/<uuid:pk>/procurement/<uuid:item_id>/delete/", views.delete, name="procurement_delete"),
    path("projects/<uuid:pk>/procurement/import/", views.import_file, name="procurement_import"),
    path("projects/<uuid:pk>/procurement/template.xlsx", views.template_download, name="procurement_template"),
    path("projects/<uuid:pk>/procurement/delivery-modes/", views.modes_set, name="procurement_modes"),
]
