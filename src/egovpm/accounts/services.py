"""Departments and users: every write audited, every input checked before anything is written."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from egovpm.accounts.choices import ADMIN_ROLES, DepartmentKind, Role
from egovpm.accounts.errors import AccountError
from egovpm.accounts.models import Department, User, UserRole
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
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


def department_add(
    *, actor: User | None, code: str, name: str, kind: str, division_code: str = "000000", number: str = "00"
) -> Department:
    if kind not in DepartmentKind.values:
        raise InvalidInput(
            AccountError.UNKNOWN_KIND,
            {"kind": kind, "known": ", ".join(DepartmentKind.values)},
            fields={"kind": FieldError(CoreError.UNKNOWN, {"value": kind})},
        )
    if not name.strip():
        raise InvalidInput(AccountError.DEPARTMENT_NAME_REQUIRED, fields={"name": FieldError(CoreError.REQUIRED)})
    department = Department(code=code, name=name.strip(), kind=kind, division_code=division_code, number=number)
    try:
        department.full_clean()
    except ValidationError as exc:
        if Department.objects.filter(code=code).exists():
            raise Conflict(AccountError.DEPARTMENT_EXISTS, {"code": code})
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise InvalidInput(AccountError.DEPARTMENT_INVALID, {"problems": problems})
    with transaction.atomic():
        department.save()
        audit_record(actor=actor, action=AuditAction.DEPARTMENT_ADD, obj=department, new=_department_state(department))
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
) -> User:
    role_list = _check_roles(roles)
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise InvalidInput(
            AccountError.UNKNOWN_DEPARTMENT,
            {"department": department_code},
            fields={"department": FieldError(CoreError.UNKNOWN, {"value": department_code})},
        )
    if not username or User.objects.filter(username=username).exists():
        raise Conflict(AccountError.USER_EXISTS, {"username": username})
    user = User(username=username, department=department, display_name=display_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        reasons = " ".join(exc.messages)
        raise InvalidInput(
            AccountError.PASSWORD_REJECTED,
            {"reasons": reasons},
            fields={"password": FieldError(AccountError.PASSWORD_REJECTED, {"reasons": reasons})},
        )
    user.set_password(password)
    with transaction.atomic():
        user.save()
        UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in role_list)
        audit_record(actor=actor, action=AuditAction.USER_ADD, obj=user, new=_user_state(user))
    return user


def user_set(
    *,
    actor: User | None,
    username: str,
    roles: Iterable[str] | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    user = User.objects.filter(username=username).select_related("department").first()
    if user is None:
        raise InvalidInput(AccountError.UNKNOWN_USER, {"username": username})
    role_list = _check_roles(roles) if roles is not None else None
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(AccountError.PASSWORD_REJECTED, {"reasons": " ".join(exc.messages)})
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
            fields.append("password")
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
        if revoked:
            new["tokens_revoked"] = revoked
        audit_record(actor=actor, action=AuditAction.USER_SET, obj=user, old=old, new=new)
    return user
