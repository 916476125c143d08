"""The header's unread-message badge on every page: one count on the partial index message_unread
(settings.TEMPLATES context_processors), made when the template shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from egovpm.accounts.models import User
from egovpm.core.roles import ADMIN_ROLES
from egovpm.notifications import selectors


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or (user.role_set and user.role_set <= ADMIN_ROLES):
        return {}
    # counted when a template shows it (the page's header), not for an htmx panel that does not
    return {"messages_link": True, "unread_messages": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
