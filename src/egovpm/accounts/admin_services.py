"""The three administrators' writes (三员分立, domain.md §14), for the API and the browser alike:
each checks the actor's administrator role (403 otherwise) and calls the one implementation in
accounts/services.py that the CLI uses too — nothing here writes on its own.

- sys_admin: departments and accounts (create, edit name and department, disable/enable, reset the
  password) — never roles;
- sec_admin: roles (grant, revoke), unlocking, the security policy;
- audit_admin: reads and verifies the audit log (the audit app), nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from egovpm.accounts import policy, services
from egovpm.accounts.choices import Role
from egovpm.accounts.errors import AccountError
from egovpm.accounts.models import Department, User, UserRole
from egovpm.audit.actions import AuditAction
from egovpm.core.errors import Conflict, Forbidden, NotFound


def require_admin(actor: User, role: Role) -> None:
    """The actor holds `role` (one of the administrator roles) or the answer is 403."""
    if not actor.has_role(role):
        raise Forbidden(AccountError.ADMIN_ONLY, {"role": role.label})


def department_create(
    *, actor: User, code: str, name: str, kind: str, division_code: str = "000000", number: str = "00"
) -> Department:
    require_admin(actor, Role.SYS_ADMIN)
    return services.department_add(
        actor=actor, code=code, name=name, kind=kind, division_code=division_code, number=number
    )


def department_change(
    *,
    actor: User,
    code: str,
    name: str | None = None,
    kind: str | None = None,
    division_code: str | None = None,
    number: str | None = None,
) -> Department:
    require_admin(actor, Role.SYS_ADMIN)
    return services.department_set(
        actor=actor, code=code, name=name, kind=kind, division_code=division_code, number=number
    )


def account_create(
    *, actor: User, username: str, full_name: str, department: str, password: str, email: str = ""
) -> User:
    """A new account without roles: sec_admin grants them."""
    require_admin(actor, Role.SYS_ADMIN)
    return services.user_add(
        actor=actor,
        username=username,
        department_code=department,
        roles=[],
        password=password,
        display_name=full_name,
        email=email,
        allow_no_role=True,
    )


def account_change(
    *,
    actor: User,
    username: str,
    full_name: str | None = None,
    department: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    """Edit the name or department, disable or enable, reset the password (the API tokens end)."""
    require_admin(actor, Role.SYS_ADMIN)
    if active is False and username == actor.username:
        raise Conflict(AccountError.OWN_ACCOUNT_DISABLE)
    # 三员分立: resetting the security or audit administrator's password would let the system
    # administrator act as them; their accounts are kept on the server (CLI) instead.
    if UserRole.objects.filter(user__username=username, role__in=[Role.SEC_ADMIN, Role.AUDIT_ADMIN]).exists():
        raise Forbidden(AccountError.OTHER_ADMIN_ACCOUNT)
    return services.user_set(
        actor=actor,
        username=username,
        active=active,
        password=password,
        display_name=full_name,
        department_code=department,
        missing=NotFound,
    )


def roles_set(*, actor: User, username: str, roles: Iterable[str]) -> User:
    """Grant and revoke: the user holds exactly `roles` afterwards (an empty list revokes all). An
    administrator role is never combined with another (400); nobody changes their own roles (403)."""
    require_admin(actor, Role.SEC_ADMIN)
    if username == actor.username:
        raise Forbidden(AccountError.OWN_ROLES)
    return services.user_set(
        actor=actor,
        username=username,
        roles=list(roles),
        allow_no_role=True,
        missing=NotFound,
        action=AuditAction.USER_ROLES_SET,
    )


def account_unlock(*, actor: User, username: str) -> User:
    require_admin(actor, Role.SEC_ADMIN)
    return services.user_unlock(actor=actor, username=username)


def policy_change(*, actor: User, values: Mapping[str, int]) -> policy.PolicyValues:
    require_admin(actor, Role.SEC_ADMIN)
    return services.policy_set(actor=actor, values=values)
