from __future__ import annotations

from typing import cast

from django.contrib.auth import authenticate
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts import lockout
from egovpm.accounts.auth import BearerTokenAuthentication, token_issue, token_revoke
from egovpm.accounts.backends import LockedOut
from egovpm.accounts.errors import AccountError
from egovpm.accounts.models import ApiToken, Department
from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import error_response, paginated
from egovpm.core.errors import Forbidden
from egovpm.core.schema import errors
from egovpm.core.validators import LongText, ShortText


class TokenIn(serializers.Serializer):
    username = ShortText()
    password = LongText(trim_whitespace=False)


class TokenView(APIView):
    """POST /api/v1/auth/token — exchange a username and password for a Bearer token (valid for the
    security policy's token lifetime); DELETE /api/v1/auth/token — revoke the token the request
    carries (204; the token answers 401 from then on)."""

    def get_authenticators(self) -> list[BaseAuthentication]:
        # POST is the login itself: whatever Authorization header a client sends is ignored. DELETE
        # needs the Bearer token it revokes (a UI session has no token: 401).
        # (self.request is None while drf-spectacular builds its mock request for the schema.)
        if getattr(self.request, "method", None) == "DELETE":
            return [BearerTokenAuthentication()]
        return []

    def get_permissions(self) -> list[BasePermission]:
        return [IsAuthenticated()] if getattr(self.request, "method", None) == "DELETE" else [AllowAny()]

    @extend_schema(
        request=TokenIn,
        responses={
            200: inline_serializer("TokenOut", {"token": serializers.CharField()}),
            401: OpenApiResponse(description="invalid_credentials: wrong username or password"),
            403: OpenApiResponse(
                description="locked_out: too many failed logins, try again later; password_change_required: "
                "the password was set by an administrator (a new account or a reset) and is temporary — the "
                "user chooses their own in the web interface first"
            ),
        },
        description="Exchange a username and password for a Bearer token. The token expires after the "
        "security policy's token lifetime (EGOVPM_TOKEN_LIFETIME_DAYS, 30 days by default): then 401. A "
        "password an administrator set is temporary: 403 password_change_required until the user has chosen "
        "their own at the web interface's sign-in.",
    )
    @errors(400, 401, 403, 415)
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(
                # DRF's Request stands in for the HttpRequest (it proxies META and path, all the
                # login backend reads: the client address and the channel for the lockout record)
                cast(HttpRequest, request),
                username=data.validated_data["username"],
                password=data.validated_data["password"],
            )
            # django.contrib.auth.authenticate() swallows the backend's LockedOut (a PermissionDenied)
            # and answers None: ask the lockout whether it was the reason.
            if user is None and lockout.locked_until(data.validated_data["username"]) is not None:
                raise LockedOut("locked")
        except LockedOut:
            return error_response(
                403,
                "locked_out",
                "too many failed logins: this account is locked for a while; try again later",
            )
        if user is None:
            return error_response(401, "invalid_credentials", "wrong username or password")
        if user.password_change_required:
            # an administrator set this password (a new account or a reset): it is temporary, and a
            # token would let whoever knows it act as the user (docs/security.md)
            raise Forbidden(AccountError.PASSWORD_CHANGE_REQUIRED)
        return Response({"token": token_issue(user=user)})

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="the calling token is revoked"),
            401: OpenApiResponse(description="not_authenticated: no token, or an expired or revoked one"),
        },
        description="Revoke the Bearer token this request carries (log out of the API). Audited.",
    )
    @errors(401)
    def delete(self, request: AuthenticatedRequest) -> Response:
        token = request.auth
        if not isinstance(token, ApiToken):  # cannot happen: Bearer is this method's only authenticator
            return error_response(401, "not_authenticated", "send the Bearer token to revoke")
        token_revoke(token=token)
        return Response(status=204)


class MeView(APIView):
    administrators_allowed = True  # every signed-in user's (accounts/permissions.py)

    @extend_schema(
        responses={
            200: inline_serializer(
                "Me",
                {
                    "username": serializers.CharField(),
                    "department": serializers.CharField(allow_null=True),
                    "roles": serializers.ListField(child=serializers.CharField()),
                },
            )
        }
    )
    @errors(401)
    def get(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        return Response(
            {
                "username": user.username,
                "department": user.department.code if user.department else None,
                "roles": sorted(user.role_set),
            }
        )


class DepartmentOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class DepartmentListView(APIView):
    """Department directory (names and kinds are not confidential): for pickers and integrators."""

    administrators_allowed = True  # every signed-in user's (accounts/permissions.py)

    @extend_schema(responses={200: DepartmentOut(many=True)})
    @errors(401, 404)
    def get(self, request: AuthenticatedRequest) -> Response:
        return paginated(request, self, Department.objects.order_by("code"), DepartmentOut)
