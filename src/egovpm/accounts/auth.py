"""API authentication: `Authorization: Bearer <token>` (api.md), plus the UI's session with CSRF."""

from __future__ import annotations

import secrets

from django.db import transaction
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from egovpm.accounts.models import ApiToken, User
from egovpm.audit.services import audit_record
from egovpm.core import clock


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: Bearer <token>")
        key = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user", "user__department").filter(key_hash=ApiToken.hash(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The UI's htmx calls reuse the session; CSRF is enforced (DRF's default for sessions)."""


def token_issue(*, user: User) -> str:
    """Create a token; the clear value is returned once and only its hash is kept."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), created_at=clock.now())
        audit_record(actor=user, action="auth.token_issue", object_type="accounts.apitoken", object_id=str(token.pk))
    return key
