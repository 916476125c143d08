from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from egovpm.audit.services import current_channel


class RequestContextMiddleware:
    """Per request: the audit channel (api or ui) and the user's stored language preference."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_channel.set("api" if request.path.startswith("/api/") else "ui")
        try:
            user = getattr(request, "user", None)
            language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
            return self.get_response(request)
        finally:
            current_channel.reset(token)
