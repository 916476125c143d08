"""The administrators' pages, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import path

from egovpm.administration import views

urlpatterns = [
    # every user's own password (after an administrator's temporary one, administration/middleware.py)
    path("account/password/", views.password_change, name="password_change"),
    path("admin/departments/", views.departments, name="admin_departments"),
    path("admin/departments/<slug:code>/", views.department_edit, name="admin_department_edit"),
    path("admin/users/", views.users, name="admin_users"),
    path("admin/users/new/", views.user_add, name="admin_user_add"),
    path("admin/users/<str:username>/", views.user_edit, name="admin_user_edit"),
    path("admin/users/<str:username>/active/", views.user_active, name="admin_user_active"),
    path("admin/users/<str:username>/password/", views.user_password, name="admin_user_password"),
    path("admin/roles/", views.roles, name="admin_roles"),
    path("admin/roles/<str:username>/", views.user_roles, name="admin_user_roles"),
    path("admin/locked/", views.locked, name="admin_locked"),
    path("admin/locked/<str:username>/unlock/", views.user_unlock, name="admin_user_unlock"),
    path("admin/security-policy/", views.security_policy, name="admin_policy"),
    path("admin/audit/", views.audit_home, name="admin_audit_home"),
    path("admin/audit/verify/", views.audit_verify, name="admin_audit_verify"),
]
