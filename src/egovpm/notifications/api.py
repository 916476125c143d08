"""The message centre, e-mail choices and NDRC's chase over HTTP (docs/notifications.md). Views
translate; services and selectors decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import Pagination
from egovpm.core.validators import LongText, ShortText
from egovpm.notifications import policies, selectors, services
from egovpm.notifications.errors import NotificationError
from egovpm.notifications.models import Message
from egovpm.notifications.services import CHASE_TEXT_LIMIT
from egovpm.projects import policies as project_policies


class MessageOut(serializers.ModelSerializer):
    sender = serializers.CharField(source="sender.username", allow_null=True, default=None)
    project = serializers.CharField(source="project_id")

    class Meta:
        model = Message
        fields = ["id", "kind", "title", "body", "link", "project", "sender", "created_at", "read_at"]


class MessageListView(APIView):
    @extend_schema(responses={200: MessageOut(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The caller's messages, newest first."""
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.messages_of(user=request.user), request, view=self)
        return paginator.get_paginated_response(MessageOut(page, many=True).data)


class MessageReadView(APIView):
    @extend_schema(request=None, responses={200: MessageOut})
    def post(self, request: AuthenticatedRequest, message_id: str) -> Response:
        """Mark one of the caller's messages read (another's is 404)."""
        _ = request.data  # no body is needed, but one that is sent must be a JSON object (core/parsers.py)
        return Response(MessageOut(services.message_read(actor=request.user, message_id=message_id)).data)


class MessagesReadAllView(APIView):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Mark every unread message of the caller read: {"marked": n}."""
        _ = request.data  # no body is needed, but one that is sent must be a JSON object (core/parsers.py)
        return Response({"marked": services.messages_read_all(actor=request.user)})


class PreferencesIn(serializers.Serializer):
    email = serializers.DictField(child=serializers.JSONField())


class PreferencesView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: AuthenticatedRequest) -> Response:
        """{"email": {kind: true|false}} for every kind of message."""
        return Response({"email": selectors.email_choices(user=request.user)})

    @extend_schema(request=PreferencesIn, responses={200: dict})
    def put(self, request: AuthenticatedRequest) -> Response:
        """Turn e-mail on or off per kind; kinds not named keep their setting."""
        data = PreferencesIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"email": services.preferences_set(actor=request.user, email=data.validated_data["email"])})


class ChaseIn(serializers.Serializer):
    to = ShortText(max_length=150, help_text='"department" or the login name of someone working on the project')
    text = LongText(max_length=CHASE_TEXT_LIMIT)


class ChaseView(APIView):
    @extend_schema(request=ChaseIn, responses={201: dict})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """催办 (NDRC): the recipients find it in their messages; audited with the project."""
        project = project_policies.project_for(request.user, project_id, "chase")  # 404, then 403, then 400
        project_policies.require(policies.may_chase(request.user), NotificationError.CHASE_NDRC_ONLY)
        data = ChaseIn(data=request.data)
        data.is_valid(raise_exception=True)
        sent = services.chase(actor=request.user, project_id=project.pk, **data.validated_data)
        body: dict[str, Any] = {"recipients": [m.recipient.username for m in sent], "count": len(sent)}
        return Response(body, status=status.HTTP_201_CREATED)
