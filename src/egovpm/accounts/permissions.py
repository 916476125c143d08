"""The API's default permission (settings REST_FRAMEWORK DEFAULT_PERMISSION_CLASSES): signed in,
and then two refusals that hold for every endpoint, before any view code runs:

- a user whose password an administrator set (a new account, a reset) and who has not chosen their
  own yet: 403 `password_change_required` (a token is not even issued to them; this catches the
  browser session's htmx calls);
- an administrator (三员分立, domain.md §14) on a business endpoint: 403
  `administrator_no_business`. The views of the administrators' duties, and the few every signed-in
  user needs (who am I, the department directory), say `administrators_allowed = True`; every
  other endpoint — a new one too — is closed to them by default.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from egovpm.accounts.errors import AccountError
from egovpm.core.errors import Forbidden
from egovpm.core.roles import ADMIN_ROLES


def is_administrator(user: Any) -> bool:
    """Holds one of the three administrator roles (held alone: accounts.services._check_roles)."""
    return bool(getattr(user, "is_authenticated", False) and user.role_set & ADMIN_ROLES)


class SignedInWithinDuties(IsAuthenticated):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        user = request.user
        if getattr(user, "password_change_required", False):
            raise Forbidden(AccountError.PASSWORD_CHANGE_REQUIRED)
        if is_administrator(user) and not getattr(view, "administrators_allowed", False):
            raise Forbidden(AccountError.ADMINISTRATOR_NO_BUSINESS)
        return True
