"""Who reads the audit log (domain.md §14: the audit administrator alone). Used by the API and the
UI. Checks core's role vocabulary, so the audit app does not depend on accounts, which writes
audit rows (docs/adr/0001: dependencies point one way)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from egovpm.core.roles import Role


def can_read_audit_log(user: AbstractBaseUser | AnonymousUser) -> bool:
    """`user` as the request carries it (the audit app does not import accounts' User)."""
    has_role = getattr(user, "has_role", None)
    return bool(user.is_authenticated and has_role is not None and has_role(Role.AUDIT_ADMIN))
