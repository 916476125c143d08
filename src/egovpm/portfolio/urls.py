from django.urls import path

from egovpm.portfolio import record_views, views

urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
    # the department record (履约档案): NDRC, MoF and the department itself; 'mine' is one's own
    path("departments/mine/record/", record_views.own_record, name="department_record_mine"),
    path("departments/<str:code>/record/", record_views.department_record, name="department_record"),
    # the project list's XLSX (the list page's 导出; the same filters as the list)
    path("projects/export/", views.project_export, name="project_export"),
]
