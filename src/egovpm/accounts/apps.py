from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "egovpm.accounts"
    label = "accounts"

    def ready(self) -> None:
        from egovpm.accounts import middleware, schema  # noqa: F401  (OpenAPI auth extensions; login signal)
        from egovpm.core.roles import Role
        from egovpm.web.registry import NavItem, register_nav

        # 三员分立: each administrator's navigation shows only their duties, the first item is home.
        def holds(role: Role) -> Callable[[Any], bool]:
            return lambda user: user.has_role(role)

        sys_admin, sec_admin, audit_admin = holds(Role.SYS_ADMIN), holds(Role.SEC_ADMIN), holds(Role.AUDIT_ADMIN)
        for item in (
            NavItem("admin_users", _("User accounts"), "web:admin_users", sys_admin, 1, home=sys_admin),
            NavItem("admin_departments", _("Departments"), "web:admin_departments", sys_admin, 2),
            NavItem("admin_roles", _("Role grants"), "web:admin_roles", sec_admin, 1, home=sec_admin),
            NavItem("admin_locked", _("Locked accounts"), "web:admin_locked", sec_admin, 2),
            NavItem("admin_policy", _("Security policy"), "web:admin_policy", sec_admin, 3),
            NavItem("admin_audit", _("Audit work"), "web:admin_audit_home", audit_admin, 1, home=audit_admin),
        ):
            register_nav(item)
