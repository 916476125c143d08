"""Template context for every page: the signed-in user's department, roles and navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import User
from egovpm.core.roles import ADMIN_ROLES, Role
from egovpm.web import registry

# Capabilities not built yet: shown greyed as "coming", never linked. An app that registers a
# NavItem with the same key (web/registry.py) replaces its placeholder.
COMING = {
    "reports": _("Reports"),
    "budgets": _("Budget adjustments"),
    "reviews": _("Expert reviews"),
    "archives": _("Archives"),
    "dashboard": _("Statistics"),
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    path = request.path
    items: list[dict[str, Any]] = []
    works_on_projects = not user.role_set or not user.role_set <= ADMIN_ROLES
    if works_on_projects:
        items.append({"label": _("To do"), "url": reverse("web:inbox"), "active": path == reverse("web:inbox")})
        projects = reverse("web:project_list")
        items.append({"label": _("Projects"), "url": projects, "active": path.startswith(projects)})
    for nav in sorted(registry.NAV.values(), key=lambda n: n.order):
        if nav.visible(user):
            url = reverse(nav.url_name)
            items.append({"label": nav.label, "url": url, "active": path.startswith(url)})
    if user.has_role(Role.AUDIT_ADMIN):
        audit = reverse("web:audit")
        items.append({"label": _("Audit log"), "url": audit, "active": path.startswith(audit)})
    return {
        "nav_items": items,
        "nav_coming": [label for key, label in COMING.items() if key not in registry.NAV] if works_on_projects else (),
        "user_roles": [Role(r).label for r in sorted(user.role_set) if r in Role.values],
        "user_department": user.department,
    }
