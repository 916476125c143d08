"""The administration endpoints (api.md "Administration"), included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.accounts import admin_api

urlpatterns = [
    path("admin/departments", admin_api.AdminDepartmentListView.as_view(), name="admin-departments"),
    path("admin/departments/<str:code>", admin_api.AdminDepartmentView.as_view(), name="admin-department"),
    path("admin/users", admin_api.AdminUserListView.as_view(), name="admin-users"),
    path("admin/users/<str:username>", admin_api.AdminUserView.as_view(), name="admin-user"),
    path("admin/users/<str:username>/roles", admin_api.AdminUserRolesView.as_view(), name="admin-user-roles"),
    path("admin/users/<str:username>/unlock", admin_api.AdminUserUnlockView.as_view(), name="admin-user-unlock"),
    path("admin/security-policy", admin_api.AdminSecurityPolicyView.as_view(), name="admin-security-policy"),
]
