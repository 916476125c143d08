from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """The administrators' pages (三员分立). A UI app of its own, above web: accounts sits below web
    (the login form uses its lockout), so the pages that use web's frame cannot live in accounts
    (tests/core/test_import_graph.py). The writes are accounts/admin_services.py's."""

    name = "egovpm.administration"
    label = "administration"

    def ready(self) -> None:
        from egovpm.core.roles import Role
        from egovpm.web.registry import NavItem, register_nav

        # each administrator's navigation shows only their duties; the item marked home is where they land
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
