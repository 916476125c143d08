"""The administrators' reads: departments, accounts with their roles, locked accounts. Each list
costs the same number of queries whatever its length (roles prefetched, departments joined)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from egovpm.accounts import lockout
from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User, UserRole


def departments(*, q: str = "") -> QuerySet[Department]:
    qs = Department.objects.annotate(user_count=Count("users")).order_by("code")
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return qs


def accounts(*, q: str = "", department: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    """Accounts by username, with department and roles (role_set filled: no query per row)."""
    qs = (
        User.objects.select_related("department")
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
        .order_by("username")
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if department:
        qs = qs.filter(department__code=department)
    if role == "none":
        qs = qs.filter(roles__isnull=True)
    elif role in Role.values:
        qs = qs.filter(roles__role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def role_values(user: User) -> list[str]:
    """The roles of a user of accounts() (read from the prefetched rows)."""
    return [r.role for r in user.roles.all()]


def locked_accounts() -> list[tuple[str, dt.datetime, User | None]]:
    """Usernames locked now, when each unlocks by itself, and the account (None for a username
    nobody holds: the lockout does not tell whether an account exists). Two queries."""
    locked = lockout.locked_usernames()
    users = {u.username: u for u in User.objects.filter(username__in=list(locked)).select_related("department")}
    return [(name, until, users.get(name)) for name, until in sorted(locked.items())]
