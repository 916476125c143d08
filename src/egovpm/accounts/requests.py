"""Request types for code that runs only for a logged-in user (issue 10 item 4).

Django types `request.user` as `User | AnonymousUser` and DRF likewise, so every view that hands the
user to a service or policy would need a check or a cast. These types say what the middleware and
the permission classes guarantee: the API's default permission is IsAuthenticated (settings) and
the UI views are behind `login_required`, so there `request.user` is our `User`.

    def post(self, request: AuthenticatedRequest, pk: str) -> Response: ...   # DRF
    def page(request: AuthenticatedHttpRequest) -> HttpResponse: ...          # Django

They exist for the type checker only: at run time they are the framework's own classes (no
wrapping, no cost). They live in accounts, which owns User; core stays below every app
(tests/core/test_import_graph.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from egovpm.accounts.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        user: User
        htmx: HtmxDetails  # django_htmx's middleware (settings) sets it on every request

    class AuthenticatedRequest(Request):
        @property
        def user(self) -> User: ...
        @user.setter
        def user(self, value: User | AnonymousUser) -> None: ...

        # core/parsers.py accepts JSON objects only (a list or scalar body is a 400), and form
        # bodies parse to a QueryDict (a dict): the body is always a mapping
        @property
        def data(self) -> dict[str, Any]: ...

else:
    AuthenticatedHttpRequest = HttpRequest
    AuthenticatedRequest = Request

__all__ = ["AuthenticatedHttpRequest", "AuthenticatedRequest"]
