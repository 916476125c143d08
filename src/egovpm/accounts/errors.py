"""The refusals of accounts (departments, users, roles): codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class AccountError(ErrorCode):
    ROLE_REQUIRED = "role_required"
    UNKNOWN_ROLE = "unknown_role"
    ADMIN_ROLE_ALONE = "admin_role_alone"
    UNKNOWN_KIND = "unknown_kind"
    DEPARTMENT_NAME_REQUIRED = "department_name_required"
    DEPARTMENT_EXISTS = "department_exists"
    DEPARTMENT_INVALID = "department_invalid"
    UNKNOWN_DEPARTMENT = "unknown_department"
    USER_EXISTS = "user_exists"
    UNKNOWN_USER = "no_such_user"
    PASSWORD_REJECTED = "password_rejected"


register(
    AccountError,
    {
        AccountError.ROLE_REQUIRED: _("A user needs at least one role."),
        AccountError.UNKNOWN_ROLE: _("Unknown role %(roles)s (known: %(known)s)."),
        AccountError.ADMIN_ROLE_ALONE: _(
            "%(role)s cannot be combined with other roles (三员分立: each administrator does only that)."
        ),
        AccountError.UNKNOWN_KIND: _("Unknown department kind %(kind)s (known: %(known)s)."),
        AccountError.DEPARTMENT_NAME_REQUIRED: _("A department needs a name."),
        AccountError.DEPARTMENT_EXISTS: _("Department %(code)s already exists."),
        AccountError.DEPARTMENT_INVALID: _("The department was not added: %(problems)s"),
        AccountError.UNKNOWN_DEPARTMENT: _("Unknown department %(department)s."),
        AccountError.USER_EXISTS: _("User %(username)s already exists."),
        AccountError.UNKNOWN_USER: _("Unknown user %(username)s."),
        AccountError.PASSWORD_REJECTED: _("Password rejected: %(reasons)s"),
    },
    public=[AccountError.DEPARTMENT_EXISTS, AccountError.USER_EXISTS],
)
