from django.urls import path

from egovpm.portfolio import views

urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
    # the project list's XLSX (the list page's 导出; the same filters as the list)
    path("projects/export/", views.project_export, name="project_export"),
]
