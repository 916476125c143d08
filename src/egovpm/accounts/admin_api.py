"""Administration over HTTP (api.md "Administration", domain.md §14, 三员分立). Views translate;
accounts/admin_services.py checks the administrator role and writes through accounts/services.py."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts import admin_selectors, admin_services, policy
from egovpm.accounts.choices import DepartmentKind, Role
from egovpm.accounts.errors import AccountError
from egovpm.accounts.models import Department, User
from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import paginated
from egovpm.core.errors import CoreError, FieldError, InvalidInput
from egovpm.core.validators import LongText, ShortText


def only_fields(data: Any, allowed: set[str]) -> None:
    """A body naming a field this endpoint does not take is a 400 naming it (e.g. roles in a
    sys_admin PATCH): nothing is silently ignored."""
    unknown = sorted(set(data) - allowed) if isinstance(data, dict) else []
    if unknown:
        raise InvalidInput(
            AccountError.UNKNOWN_FIELDS,
            {"fields": ", ".join(unknown)},
            fields={f: FieldError(CoreError.UNKNOWN_FIELD) for f in unknown},
        )


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    only_fields(data, set(serializer.fields))
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- departments ---------------------------------------------------------------------------------


class AdminDepartmentOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    division_code = serializers.CharField()
    number = serializers.CharField()
    user_count = serializers.IntegerField(help_text="accounts in the department")


def _department_out(department: Department) -> dict[str, Any]:
    return dict(AdminDepartmentOut(admin_selectors.departments().get(pk=department.pk)).data)


class DepartmentIn(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = ShortText(max_length=200)
    kind = serializers.ChoiceField(choices=DepartmentKind.choices)
    division_code = serializers.RegexField(r"^\d{6}$", required=False, default="000000")
    number = serializers.RegexField(r"^\d{2}$", required=False, default="00")


class DepartmentPatch(serializers.Serializer):
    name = ShortText(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=DepartmentKind.choices, required=False)
    division_code = serializers.RegexField(r"^\d{6}$", required=False)
    number = serializers.RegexField(r"^\d{2}$", required=False)


class AdminDepartmentListView(APIView):
    """GET the departments (search `q` in code and name); POST adds one. sys_admin only."""

    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="part of the code or the name")],
        responses={200: AdminDepartmentOut(many=True)},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        admin_services.require_admin(request.user, Role.SYS_ADMIN)
        rows = admin_selectors.departments(q=request.query_params.get("q", "").strip())
        return paginated(request, self, rows, AdminDepartmentOut)

    @extend_schema(request=DepartmentIn, responses={201: AdminDepartmentOut})
    def post(self, request: AuthenticatedRequest) -> Response:
        admin_services.require_admin(request.user, Role.SYS_ADMIN)
        data = _valid(DepartmentIn, request.data)
        department = admin_services.department_create(actor=request.user, **data)
        return Response(_department_out(department), status=status.HTTP_201_CREATED)


class AdminDepartmentView(APIView):
    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(request=DepartmentPatch, responses={200: AdminDepartmentOut})
    def patch(self, request: AuthenticatedRequest, code: str) -> Response:
        """Change the name, kind, division code or number (the code never changes). sys_admin only."""
        admin_services.require_admin(request.user, Role.SYS_ADMIN)
        data = _valid(DepartmentPatch, request.data)
        if not data:
            raise InvalidInput(AccountError.NOTHING_TO_CHANGE, {"fields": ", ".join(DepartmentPatch().fields)})
        department = admin_services.department_change(actor=request.user, code=code, **data)
        return Response(_department_out(department))


# --- accounts ------------------------------------------------------------------------------------


class AdminUserOut(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    department = serializers.CharField(source="department.code", allow_null=True, default=None)
    department_name = serializers.CharField(source="department.name", allow_null=True, default=None)
    roles = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active")
    last_login = serializers.DateTimeField(allow_null=True)

    def get_roles(self, user: User) -> list[str]:
        return admin_selectors.role_values(user)


class UserIn(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{1,150}$")
    full_name = ShortText(max_length=100)
    department = serializers.SlugField(max_length=40)
    password = LongText(trim_whitespace=False, max_length=128)
    email = serializers.EmailField(required=False, default="")


class UserPatch(serializers.Serializer):
    full_name = ShortText(max_length=100, required=False)
    department = serializers.SlugField(max_length=40, required=False)
    active = serializers.BooleanField(required=False)
    password = LongText(trim_whitespace=False, max_length=128, required=False)


class RolesIn(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=True)


def _user_out(username: str) -> dict[str, Any]:
    return dict(AdminUserOut(admin_selectors.accounts().get(username=username)).data)


class AdminUserListView(APIView):
    """GET the accounts with their roles (sys_admin, and sec_admin who grants the roles); POST
    creates an account without roles (sys_admin)."""

    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="part of the username or the name"),
            OpenApiParameter("department", str, description="department code"),
            OpenApiParameter("role", str, description="a role, or `none` for accounts without one"),
            OpenApiParameter("active", bool),
        ],
        responses={200: AdminUserOut(many=True)},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        if not request.user.has_role(Role.SEC_ADMIN):
            admin_services.require_admin(request.user, Role.SYS_ADMIN)
        params = request.query_params
        active = {"true": True, "false": False}.get(params.get("active", "").lower())
        rows = admin_selectors.accounts(
            q=params.get("q", "").strip(),
            department=params.get("department", "").strip(),
            role=params.get("role", "").strip(),
            active=active,
        )
        return paginated(request, self, rows, AdminUserOut)

    @extend_schema(request=UserIn, responses={201: AdminUserOut})
    def post(self, request: AuthenticatedRequest) -> Response:
        admin_services.require_admin(request.user, Role.SYS_ADMIN)
        data = _valid(UserIn, request.data)
        user = admin_services.account_create(actor=request.user, **data)
        return Response(_user_out(user.username), status=status.HTTP_201_CREATED)


class AdminUserView(APIView):
    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(request=UserPatch, responses={200: AdminUserOut})
    def patch(self, request: AuthenticatedRequest, username: str) -> Response:
        """Edit the name or the department, disable/enable (`active`), reset the password — no
        roles here (a `roles` field is a 400). sys_admin only."""
        admin_services.require_admin(request.user, Role.SYS_ADMIN)
        data = _valid(UserPatch, request.data)
        if not data:
            raise InvalidInput(AccountError.NOTHING_TO_CHANGE, {"fields": ", ".join(UserPatch().fields)})
        user = admin_services.account_change(actor=request.user, username=username, **data)
        return Response(_user_out(user.username))


class AdminUserRolesView(APIView):
    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(request=RolesIn, responses={200: AdminUserOut})
    def put(self, request: AuthenticatedRequest, username: str) -> Response:
        """The user's roles afterwards are exactly `roles` (grant and revoke in one). An
        administrator role alone or not at all (400). sec_admin only, never on their own account."""
        admin_services.require_admin(request.user, Role.SEC_ADMIN)
        data = _valid(RolesIn, request.data)
        user = admin_services.roles_set(actor=request.user, username=username, roles=data["roles"])
        return Response(_user_out(user.username))


class AdminUserUnlockView(APIView):
    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(request=None, responses={200: AdminUserOut})
    def post(self, request: AuthenticatedRequest, username: str) -> Response:
        """End a login lockout now (409 when the account is not locked). sec_admin only."""
        user = admin_services.account_unlock(actor=request.user, username=username)
        return Response(_user_out(user.username))


# --- security policy -----------------------------------------------------------------------------


def _bounded_field(name: str, required: bool) -> serializers.IntegerField:
    (low, high), _setting, _default = policy.FIELDS[name]
    return serializers.IntegerField(min_value=low, max_value=high, required=required)


class PolicyOut(serializers.Serializer):
    password_min_length = serializers.IntegerField()
    password_classes = serializers.IntegerField()
    lockout_failures = serializers.IntegerField()
    lockout_minutes = serializers.IntegerField()
    session_idle_minutes = serializers.IntegerField()
    token_lifetime_days = serializers.IntegerField()
    bounds = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))


class PolicyPatch(serializers.Serializer):
    password_min_length = _bounded_field("password_min_length", False)
    password_classes = _bounded_field("password_classes", False)
    lockout_failures = _bounded_field("lockout_failures", False)
    lockout_minutes = _bounded_field("lockout_minutes", False)
    session_idle_minutes = _bounded_field("session_idle_minutes", False)
    token_lifetime_days = _bounded_field("token_lifetime_days", False)


def _policy_out(values: policy.PolicyValues) -> dict[str, Any]:
    return {**values.as_dict(), "bounds": {name: list(bounds) for name, (bounds, _s, _d) in policy.FIELDS.items()}}


class AdminSecurityPolicyView(APIView):
    administrators_allowed = True  # the administrators' own duties (accounts/permissions.py)

    @extend_schema(responses={200: PolicyOut})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The policy in force and each value's safe bounds. sec_admin only."""
        admin_services.require_admin(request.user, Role.SEC_ADMIN)
        return Response(_policy_out(policy.current()))

    @extend_schema(request=PolicyPatch, responses={200: PolicyOut})
    def patch(self, request: AuthenticatedRequest) -> Response:
        """Change any of the values, each within its bounds (400 naming each field outside; nothing
        changes). sec_admin only."""
        admin_services.require_admin(request.user, Role.SEC_ADMIN)
        data = _valid(PolicyPatch, request.data)
        if not data:
            raise InvalidInput(AccountError.NOTHING_TO_CHANGE, {"fields": ", ".join(policy.FIELDS)})
        return Response(_policy_out(admin_services.policy_change(actor=request.user, values=data)))
