"""Template context for every page: the signed-in user's department, roles and navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import User
from egovpm.core.roles import ADMIN_ROLES, Role
from egovpm.web import registry
from egovpm.web.links import named_url

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
    works_on_projects = not user.role_set or not user.role_set <= ADMIN_ROLES
    return {
        # built when a template draws it (a page's side bar), not for an htmx panel
        "nav_items": SimpleLazyObject(lambda: _items(user, request.path, works_on_projects)),
        "nav_coming": [label for key, label in COMING.items() if key not in registry.NAV] if works_on_projects else (),
        "user_roles": [Role(r).label for r in sorted(user.role_set) if r in Role.values],
        "user_department": user.department,
    }


def _items(user: User, path: str, works_on_projects: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if works_on_projects:
        inbox = named_url("web:inbox")
        items.append({"label": _("To do"), "url": inbox, "active": path == inbox})
        projects = named_url("web:project_list")
        items.append({"label": _("Projects"), "url": projects, "active": path.startswith(projects)})
    for nav in sorted(registry.NAV.values(), key=lambda n: n.order):
        if nav.visible(user):
            url = named_url(nav.url_name)
            items.append({"label": nav.label, "url": url, "active": path.startswith(url)})
    if user.has_role(Role.AUDIT_ADMIN):
        audit = named_url("web:audit")
        items.append({"label": _("Audit log"), "url": audit, "active": path.startswith(audit)})
    return items
