from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts import lockout
from egovpm.accounts.auth import token_issue
from egovpm.accounts.backends import LockedOut
from egovpm.accounts.models import Department
from egovpm.core.api import error_response, paginated


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenView(APIView):
    """POST /api/v1/auth/token — exchange a username and password for a Bearer token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenIn, responses={200: inline_serializer("TokenOut", {"token": serializers.CharField()})})
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(
                request._request,
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
        return Response({"token": token_issue(user=user)})


class MeView(APIView):
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
    def get(self, request: Request) -> Response:
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

    @extend_schema(responses={200: DepartmentOut(many=True)})
    def get(self, request: Request) -> Response:
        return paginated(request, self, Department.objects.order_by("code"), DepartmentOut)
