"""Two boundaries of the web UI, checked before any page's own code (settings.MIDDLEWARE, after the
session timeout):

1. A password an administrator set (a new account, a reset) is temporary: until the user has chosen
   their own, every page redirects to the change-password page (an htmx request gets HX-Redirect).
   Signing out stays possible.
2. The administrators read no business data (三员分立, domain.md §14): an administrator reaches only
   the pages of the administrators' duties (this app's routes, the audit log), the sign-in and
   sign-out and 待办 (which sends them to their home); every other page — a new one too — is 403.

The API applies the same two rules in its default permission (accounts/permissions.py). Routes
outside the `web` namespace (the API, /healthz, /i18n/) are not this middleware's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from egovpm.accounts.permissions import is_administrator

PASSWORD_PAGE = "password_change"
# what a user with a temporary password may still open
WHILE_TEMPORARY = frozenset({PASSWORD_PAGE, "logout", "login"})
# web pages outside this app that the administrators use
SHELL_AND_AUDIT = frozenset({"login", "logout", "inbox", "audit", "audit_export"})


@cache
def administrators_pages() -> frozenset[str]:
    """The `web` route names an administrator may open: this app's routes and SHELL_AND_AUDIT."""
    from egovpm.administration.urls import urlpatterns

    return frozenset(p.name for p in urlpatterns if p.name) | SHELL_AND_AUDIT


class AccountBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponseBase | None:
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or match.namespace != "web" or user is None or not user.is_authenticated:
            return None
        name = match.url_name or ""
        if getattr(user, "password_change_required", False) and name not in WHILE_TEMPORARY:
            target = reverse(f"web:{PASSWORD_PAGE}")
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        if is_administrator(user) and name not in administrators_pages():
            raise PermissionDenied(_("Administrators do not read business data (三员分立): this page is not theirs."))
        return None
