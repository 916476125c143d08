"""API authentication: `Authorization: Bearer <token>` (api.md), plus the UI's session with CSRF.

Tokens expire (accounts/policy.py: token_lifetime), can be revoked by their holder
(DELETE /api/v1/auth/token) and are deleted when their user is disabled or the password is reset.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from egovpm.accounts import policy
from egovpm.accounts.models import ApiToken, User, token_principal
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "the token has expired: request a new one with POST /api/v1/auth/token"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: Bearer <token>")
        key = header[1].decode(errors="replace")
        token = token_principal(ApiToken.hash(key))  # with user, department and roles: one query
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token")
        now = clock.now()
        if now >= token.expires_at:
            raise TokenExpired()
        _record_use(token, now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def _record_use(token: ApiToken, now: dt.datetime) -> None:
    """Write last_used_at at most once per policy.ACTIVITY_RESOLUTION (one UPDATE, no read-modify-write):
    a client polling every second costs one write a minute, not one per request."""
    last = token.last_used_at
    if last is not None and now - last < policy.ACTIVITY_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The UI's htmx calls reuse the session; CSRF is enforced (DRF's default for sessions)."""


def token_issue(*, user: User) -> str:
    """Create a token valid for the policy's lifetime; the clear value is returned once and only its
    hash is kept. The user's expired tokens are removed on the way (they can never work again)."""
    key = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
        token = ApiToken.objects.create(
            user=user, key_hash=ApiToken.hash(key), created_at=now, expires_at=now + policy.token_lifetime()
        )
        audit_record(
            actor=user,
            action=AuditAction.AUTH_TOKEN_ISSUE,
            object_type="accounts.apitoken",
            object_id=str(token.pk),
            new={"expires_at": token.expires_at.isoformat()},
        )
    return key


def token_revoke(*, token: ApiToken) -> None:
    """Revoke one token (its holder logs out of the API): the row is deleted, the next request with it is 401."""
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(pk=token.pk).delete()
        if deleted:
            audit_record(
                actor=token.user,
                action=AuditAction.AUTH_TOKEN_REVOKE,
                object_type="accounts.apitoken",
                object_id=str(token.pk),
                old={"created_at": token.created_at.isoformat(), "expires_at": token.expires_at.isoformat()},
            )
