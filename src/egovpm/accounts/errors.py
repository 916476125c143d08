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
    # the administrators' work (三员分立, accounts/admin_services.py)
    ADMIN_ONLY = "admin_only"
    OWN_ROLES = "own_roles"
    OWN_ACCOUNT_DISABLE = "own_account_disable"
    OTHER_ADMIN_ACCOUNT = "other_admin_account"
    ADMIN_ROLE_CLI_ONLY = "admin_role_cli_only"
    ADMIN_ACCOUNT_ROLES = "admin_account_roles"
    # a password an administrator set is temporary; the administrators read no business data
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    ADMINISTRATOR_NO_BUSINESS = "administrator_no_business"
    WRONG_PASSWORD = "wrong_password"
    SAME_PASSWORD = "same_password"
    NOT_LOCKED = "not_locked"
    NOTHING_TO_CHANGE = "nothing_to_change"
    UNKNOWN_FIELDS = "admin_unknown_fields"
    OUT_OF_BOUNDS = "out_of_bounds"
    POLICY_INVALID = "policy_invalid"


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
        AccountError.ADMIN_ONLY: _("Only the %(role)s may do this (三员分立)."),
        AccountError.OWN_ROLES: _("You may not change your own roles: another security administrator does."),
        AccountError.OWN_ACCOUNT_DISABLE: _("You may not disable your own account."),
        AccountError.OTHER_ADMIN_ACCOUNT: _(
            "The accounts of the security and audit administrators are not the system administrator's to "
            "change (三员分立): use egovpm user set on the server."
        ),
        AccountError.ADMIN_ROLE_CLI_ONLY: _(
            "%(role)s is an administrator role: only the operator gives it, with egovpm user set on the server "
            "(三员分立)."
        ),
        AccountError.ADMIN_ACCOUNT_ROLES: _(
            "%(username)s is an administrator: its role is changed only by the operator, with egovpm user set on "
            "the server (三员分立)."
        ),
        AccountError.PASSWORD_CHANGE_REQUIRED: _(
            "Your password was set by an administrator and is temporary: sign in to the web interface and "
            "choose your own password first."
        ),
        AccountError.ADMINISTRATOR_NO_BUSINESS: _(
            "Administrators do not read or change business data (三员分立): this is not part of your duties."
        ),
        AccountError.WRONG_PASSWORD: _("The current password is wrong."),
        AccountError.SAME_PASSWORD: _("The new password must differ from the current one."),
        AccountError.NOT_LOCKED: _("The account %(username)s is not locked."),
        AccountError.NOTHING_TO_CHANGE: _("Nothing to change: give at least one of %(fields)s."),
        AccountError.UNKNOWN_FIELDS: _("These fields cannot be set here: %(fields)s."),
        AccountError.OUT_OF_BOUNDS: _("Must be a whole number from %(low)s to %(high)s."),
        AccountError.POLICY_INVALID: _("The security policy was not changed: %(fields)s outside the safe bounds."),
    },
    public=[
        AccountError.DEPARTMENT_EXISTS,
        AccountError.USER_EXISTS,
        # clients must tell these apart from the generic refusals (docs/security.md)
        AccountError.PASSWORD_CHANGE_REQUIRED,
        AccountError.ADMINISTRATOR_NO_BUSINESS,
        AccountError.ADMIN_ROLE_CLI_ONLY,
        AccountError.ADMIN_ACCOUNT_ROLES,
    ],
)
