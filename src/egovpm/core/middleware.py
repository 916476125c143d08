from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from egovpm.core.channel import current_channel


class ChineseFirstMiddleware:
    """Chinese first (ui.md): the language is the user's explicit choice (the language cookie set
    by the switch) or Chinese — never guessed from the browser's Accept-Language header, which on
    many office machines says English. Sits before django's LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Per request: the audit channel (api or ui) that audit rows record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_channel.set("api" if request.path.startswith("/api/") else "ui")
        try:
            return self.get_response(request)
        finally:
            current_channel.reset(token)
