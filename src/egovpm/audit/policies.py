"""Who reads the audit log (domain.md §14: the audit administrator alone). Used by the API and the
UI. Checks core's role vocabulary, so the audit app does not depend on accounts, which writes
audit rows (docs/adr/0001: dependencies point one way)."""

from __future__ import annotations

from typing import Any

from egovpm.core.roles import Role


def can_read_audit_log(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.has_role(Role.AUDIT_ADMIN))
