from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from egovpm.accounts import lockout
from egovpm.accounts.models import User, user_principal


class LockedOut(PermissionDenied):
    pass


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class LockoutModelBackend(ModelBackend):
    """Username/password with the lockout applied before the password is even checked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        channel = "api" if request is not None and request.path.startswith("/api/") else "ui"
        if lockout.locked_until(username) is not None:
            lockout.record_attempt(username, succeeded=False, ip=client_ip(request), channel=channel)
            raise LockedOut("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        lockout.record_attempt(username, succeeded=user is not None, ip=client_ip(request), channel=channel)
        return user

    def get_user(self, user_id: Any) -> Any:
        """The session's user with department and roles in one query (accounts.models.user_principal)
        rather than the user now and the roles and department later in the request; an inactive user
        is None, as in ModelBackend."""
        try:
            user = user_principal(User._meta.pk.to_python(user_id))
        except ValidationError:
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
