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
from egovpm.accounts.choices import ADMIN_ROLES, Role
from egovpm.accounts.errors import AccountError
from egovpm.accounts.models import Department, User, UserRole
from egovpm.audit.actions import AuditAction
from egovpm.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound


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
    """A new account without roles: sec_admin grants them. Its password is temporary: the user
    chooses their own at the first sign-in (sys_admin must not know a password that works)."""
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
        temporary_password=True,
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
    """Edit the name or department, disable or enable, reset the password. A reset password is
    temporary (the user must choose their own at the next sign-in, and no API token is issued until
    then); the user's API tokens and browser sessions end."""
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
        temporary_password=True,
    )


def roles_set(*, actor: User, username: str, roles: Iterable[str]) -> User:
    """Grant and revoke business roles: the user holds exactly `roles` afterwards (an empty list
    revokes all). Nobody changes their own roles (403). The administrator roles are the operator's
    (the CLI, `egovpm user set --role`): none is granted here (400 `admin_role_cli_only`) and an
    administrator's account keeps its role (409 `admin_account_roles`) — else the security
    administrator could make themselves a second system or audit administrator (三员分立)."""
    require_admin(actor, Role.SEC_ADMIN)
    if username == actor.username:
        raise Forbidden(AccountError.OWN_ROLES)
    roles = list(roles)
    admin = [r for r in roles if r in ADMIN_ROLES]
    if admin:
        raise InvalidInput(
            AccountError.ADMIN_ROLE_CLI_ONLY,
            {"role": admin[0]},
            fields={"roles": FieldError(AccountError.ADMIN_ROLE_CLI_ONLY, {"role": admin[0]})},
        )
    if UserRole.objects.filter(user__username=username, role__in=ADMIN_ROLES).exists():
        raise Conflict(AccountError.ADMIN_ACCOUNT_ROLES, {"username": username})
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
