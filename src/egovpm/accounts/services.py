"""Departments and users: every write audited, every input checked before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from egovpm.accounts import lockout, policy
from egovpm.accounts.choices import ADMIN_ROLES, DepartmentKind, Role
from egovpm.accounts.errors import AccountError
from egovpm.accounts.models import Department, SecurityPolicy, User, UserRole
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput, NotFound


def _check_roles(roles: Iterable[str], *, allow_empty: bool = False) -> list[str]:
    roles = list(dict.fromkeys(roles))
    if not roles and allow_empty:
        return roles
    if not roles:
        raise InvalidInput(AccountError.ROLE_REQUIRED, fields={"role": FieldError(CoreError.REQUIRED)})
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise InvalidInput(
            AccountError.UNKNOWN_ROLE,
            {"roles": ", ".join(unknown), "known": ", ".join(Role.values)},
            fields={"role": [FieldError(CoreError.UNKNOWN, {"value": r}) for r in unknown]},
        )
    # 三员分立: the system, security and audit administrators are three people, each doing only that.
    admin = [r for r in roles if r in ADMIN_ROLES]
    if admin and len(roles) > 1:
        raise InvalidInput(
            AccountError.ADMIN_ROLE_ALONE,
            {"role": admin[0]},
            fields={"role": FieldError(AccountError.ADMIN_ROLE_ALONE, {"role": admin[0]})},
        )
    return roles


def _check_department(department: Department, *, exclude: Iterable[str] = ()) -> None:
    """The kind, the name and the model's own checks (code, division code, number), before any write."""
    if department.kind not in DepartmentKind.values:
        raise InvalidInput(
            AccountError.UNKNOWN_KIND,
            {"kind": department.kind, "known": ", ".join(DepartmentKind.values)},
            fields={"kind": FieldError(CoreError.UNKNOWN, {"value": department.kind})},
        )
    if not department.name.strip():
        raise InvalidInput(AccountError.DEPARTMENT_NAME_REQUIRED, fields={"name": FieldError(CoreError.REQUIRED)})
    department.name = department.name.strip()
    try:
        department.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        if department.pk is None and Department.objects.filter(code=department.code).exists():
            raise Conflict(AccountError.DEPARTMENT_EXISTS, {"code": department.code})
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise InvalidInput(
            AccountError.DEPARTMENT_INVALID,
            {"problems": problems},
            fields={
                k: FieldError(AccountError.DEPARTMENT_INVALID, {"problems": " ".join(v)})
                for k, v in exc.message_dict.items()
            },
        )


def department_add(
    *, actor: User | None, code: str, name: str, kind: str, division_code: str = "000000", number: str = "00"
) -> Department:
    department = Department(code=code, name=name, kind=kind, division_code=division_code, number=number)
    _check_department(department)
    with transaction.atomic():
        department.save()
        audit_record(actor=actor, action=AuditAction.DEPARTMENT_ADD, obj=department, new=_department_state(department))
    return department


def department_set(
    *,
    actor: User | None,
    code: str,
    name: str | None = None,
    kind: str | None = None,
    division_code: str | None = None,
    number: str | None = None,
) -> Department:
    """Change a department's name, kind, division code or number (its code never changes: project
    codes and integrators use it). Every value is checked before anything is written."""
    with transaction.atomic():
        department = Department.objects.select_for_update().filter(code=code).first()
        if department is None:
            raise NotFound(AccountError.UNKNOWN_DEPARTMENT, {"department": code})
        old = _department_state(department)
        for attr, value in (("name", name), ("kind", kind), ("division_code", division_code), ("number", number)):
            if value is not None:
                setattr(department, attr, value)
        _check_department(department)
        department.save()
        audit_record(
            actor=actor, action=AuditAction.DEPARTMENT_SET, obj=department, old=old, new=_department_state(department)
        )
    return department


def _department_state(d: Department) -> dict[str, str]:
    return {
        "code": d.code,
        "name": d.name,
        "kind": d.kind,
        "division_code": d.division_code,
        "number": d.number,
    }


def _user_state(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "department": user.department.code if user.department else None,
        "roles": sorted(user.roles.values_list("role", flat=True)),
        "is_active": user.is_active,
    }


def user_add(
    *,
    actor: User | None,
    username: str,
    department_code: str,
    roles: Iterable[str],
    password: str,
    display_name: str = "",
    email: str = "",
    allow_no_role: bool = False,
    temporary_password: bool = False,
) -> User:
    """A new account. The CLI gives its roles; sys_admin creates it without (allow_no_role) and
    sec_admin grants them (三员分立). A `temporary_password` (one an administrator chose in the
    browser or the API) must be changed by the user at the first sign-in."""
    role_list = _check_roles(roles, allow_empty=allow_no_role)
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise InvalidInput(
            AccountError.UNKNOWN_DEPARTMENT,
            {"department": department_code},
            fields={"department": FieldError(CoreError.UNKNOWN, {"value": department_code})},
        )
    if not username or User.objects.filter(username=username).exists():
        raise Conflict(AccountError.USER_EXISTS, {"username": username})
    user = User(
        username=username,
        department=department,
        display_name=display_name,
        email=email,
        password_change_required=temporary_password,
    )
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in role_list)
        new = _user_state(user)
        if temporary_password:
            new["password_change_required"] = True
        audit_record(actor=actor, action=AuditAction.USER_ADD, obj=user, new=new)
    return user


def user_set(
    *,
    actor: User | None,
    username: str,
    roles: Iterable[str] | None = None,
    active: bool | None = None,
    password: str | None = None,
    display_name: str | None = None,
    department_code: str | None = None,
    allow_no_role: bool = False,
    missing: type[InvalidInput] | type[NotFound] = InvalidInput,
    action: AuditAction = AuditAction.USER_SET,
    temporary_password: bool = False,
) -> User:
    """Change an account: roles, active, password, name, department — each checked before anything
    is written. `missing` is the refusal of an unknown username (the CLI's 400, the API's 404). A
    new password is `temporary_password` when an administrator chose it in the browser or the API
    (the user changes it at the next sign-in); the operator's (CLI) is final."""
    user = User.objects.filter(username=username).select_related("department").first()
    if user is None:
        raise missing(AccountError.UNKNOWN_USER, {"username": username})
    role_list = _check_roles(roles, allow_empty=allow_no_role) if roles is not None else None
    department = None
    if department_code is not None:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise InvalidInput(
                AccountError.UNKNOWN_DEPARTMENT,
                {"department": department_code},
                fields={"department": FieldError(CoreError.UNKNOWN, {"value": department_code})},
            )
    if password is not None:
        _check_password(password, user)
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("department").get(pk=user.pk)
        old = _user_state(user)
        if role_list is not None:
            UserRole.objects.filter(user=user).exclude(role__in=role_list).delete()
            existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
            UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in role_list if r not in existing)
        fields = []
        if active is not None:
            user.is_active = active
            fields.append("is_active")
        if password is not None:
            user.set_password(password)
            user.password_change_required = temporary_password
            fields += ["password", "password_change_required"]
        if display_name is not None:
            user.display_name = display_name
            fields.append("display_name")
        if department is not None:
            user.department = department
            fields.append("department")
        revoked = 0
        if password is not None or active is False:
            # A reset password or a disabled account ends every API session: the tokens are deleted,
            # so enabling the account again does not bring them back (its UI sessions end because
            # Django refuses an inactive user's session and a changed password's session hash).
            revoked, _ = user.api_tokens.all().delete()
        if fields:
            user.save(update_fields=fields)
        new = _user_state(user)
        if password is not None:
            new["password"] = "reset"  # never the password itself
            new["password_change_required"] = temporary_password
        if revoked:
            new["tokens_revoked"] = revoked
        audit_record(actor=actor, action=action, obj=user, old=old, new=new)
    if role_list is not None:
        user._role_cache = frozenset(role_list)
    return user


def _check_password(password: str, user: User, field: str = "password") -> None:
    """The password rules of the security policy (validate_password), or a 400 naming `field`."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        reasons = " ".join(exc.messages)
        raise InvalidInput(
            AccountError.PASSWORD_REJECTED,
            {"reasons": reasons},
            fields={field: FieldError(AccountError.PASSWORD_REJECTED, {"reasons": reasons})},
        )


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The user chooses their own password (after an administrator's temporary one, or whenever
    they like): the current one must be right (400 on `old_password`), the new one must obey the
    policy and differ from it (400 on `new_password`). Their API tokens end; the caller keeps the
    browser session it changed from (update_session_auth_hash), every other session ends."""
    if not user.check_password(old_password):
        raise InvalidInput(
            AccountError.WRONG_PASSWORD, fields={"old_password": FieldError(AccountError.WRONG_PASSWORD)}
        )
    if new_password == old_password:
        raise InvalidInput(AccountError.SAME_PASSWORD, fields={"new_password": FieldError(AccountError.SAME_PASSWORD)})
    _check_password(new_password, user, "new_password")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        was_temporary = locked.password_change_required
        locked.set_password(new_password)
        locked.password_change_required = False
        locked.save(update_fields=["password", "password_change_required"])
        revoked, _ = locked.api_tokens.all().delete()
        new: dict[str, object] = {"password": "changed by the user", "password_change_required": False}
        if revoked:
            new["tokens_revoked"] = revoked
        audit_record(
            actor=locked,
            action=AuditAction.USER_PASSWORD_CHANGE,
            obj=locked,
            old={"password_change_required": was_temporary},
            new=new,
        )
    user.password = locked.password
    user.password_change_required = False
    return user


def user_unlock(*, actor: User | None, username: str) -> User:
    """End a lockout before its time: a row of the "unlock" channel counts as a success, so the
    failures before it no longer count (accounts/lockout.py). 404 for an unknown user, 409 when the
    account is not locked."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            raise NotFound(AccountError.UNKNOWN_USER, {"username": username})
        until = lockout.locked_until(username)
        if until is None:
            raise Conflict(AccountError.NOT_LOCKED, {"username": username})
        lockout.record_attempt(username, succeeded=True, ip=None, channel=lockout.UNLOCK_CHANNEL)
        audit_record(
            actor=actor,
            action=AuditAction.USER_UNLOCK,
            obj=user,
            old={"locked_until": until.isoformat()},
            new={"locked_until": None},
        )
    return user


def policy_set(*, actor: User | None, values: Mapping[str, int]) -> policy.PolicyValues:
    """Set the security policy: every value within its bounds (policy.FIELDS) or nothing is written
    (400 naming each field outside). The values not given keep what is in force now."""
    unknown = sorted(set(values) - set(policy.FIELDS))
    if unknown:
        raise InvalidInput(
            AccountError.UNKNOWN_FIELDS,
            {"fields": ", ".join(unknown)},
            fields={f: FieldError(CoreError.UNKNOWN_FIELD) for f in unknown},
        )
    wrong: dict[str, FieldError] = {}
    for name, value in values.items():
        (low, high), _setting, _default = policy.FIELDS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            wrong[name] = FieldError(AccountError.OUT_OF_BOUNDS, {"low": low, "high": high})
    if wrong:
        raise InvalidInput(AccountError.POLICY_INVALID, {"fields": ", ".join(sorted(wrong))}, fields=wrong)
    with transaction.atomic():
        row = SecurityPolicy.objects.select_for_update().filter(pk=1).first()
        old = policy.current().as_dict() if row is None else {n: getattr(row, n) for n in policy.FIELDS}
        new = {**old, **values}
        SecurityPolicy.objects.update_or_create(pk=1, defaults={**new, "changed_at": clock.now(), "changed_by": actor})
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY_POLICY_SET,
            object_type="accounts.securitypolicy",
            object_id="1",
            old=old,
            new=new,
        )
        transaction.on_commit(policy.changed)
    policy.changed()
    return policy.current()
