"""Template context for every page: the signed-in user's department, roles and navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.choices import ADMIN_ROLES, Role

# Capabilities not built yet: shown greyed as "coming", never linked.
COMING = (_("Reports"), _("Budget adjustments"), _("Expert reviews"), _("Archives"), _("Statistics"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items: list[dict[str, Any]] = []
    works_on_projects = not user.role_set or not user.role_set <= ADMIN_ROLES
    if works_on_projects:
        items.append({"label": _("To do"), "url": reverse("web:inbox"), "active": path == reverse("web:inbox")})
        projects = reverse("web:project_list")
        items.append({"label": _("Projects"), "url": projects, "active": path.startswith(projects)})
    if user.has_role(Role.AUDIT_ADMIN):
        audit = reverse("web:audit")
        items.append({"label": _("Audit log"), "url": audit, "active": path.startswith(audit)})
    return {
        "nav_items": items,
        "nav_coming": COMING if works_on_projects else (),
        "user_roles": [Role(r).label for r in sorted(user.role_set) if r in Role.values],
        "user_department": user.department,
    }
