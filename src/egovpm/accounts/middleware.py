"""Session timeouts (domain.md §14): a UI session ends after the security policy's idle time
without a request (accounts/policy.py: session_idle_timeout, EGOVPM_SESSION_IDLE_MINUTES, 30 by
default) and, however active, once the absolute time since the login has passed
(session_absolute_timeout = SESSION_COOKIE_AGE, 8 hours).

Why our own clock in the session rather than Django's cookie age: Django re-dates a session's
expiry whenever the session is saved, so recording activity would silently turn SESSION_COOKIE_AGE
into a sliding limit; and the application clock (egovpm.core.clock, EGOVPM_NOW) must decide, so
that tests, demos and training move through time consistently.

The last activity is written at most once per policy.ACTIVITY_RESOLUTION (a minute): a page whose
htmx tabs make several requests a second costs one session write a minute, and a session may
outlive the idle limit by up to that minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from egovpm.accounts import policy
from egovpm.core import clock

AUTH_AT = "egovpm.auth_at"  # when the user logged in (ISO 8601, UTC)
SEEN_AT = "egovpm.seen_at"  # the last request, to within policy.ACTIVITY_RESOLUTION


def _instant(value: Any) -> dt.datetime | None:
    try:
        instant = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return instant if instant.tzinfo is not None else None


@receiver(user_logged_in, dispatch_uid="egovpm.accounts.session_start")
def _session_start(sender: object, request: HttpRequest | None, user: object, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = clock.now().isoformat()
        request.session[AUTH_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Logs a UI session out after idling or at its absolute end; sits after AuthenticationMiddleware
    and MessageMiddleware. An htmx request of a timed-out session gets HX-Redirect to the login page
    (rather than the login form swapped into a tab); a page request goes the usual login_required way,
    with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Bearer-token API calls carry no session cookie: nothing to read, no query.
        if session is not None and SESSION_KEY in session and request.user.is_authenticated:
            now = clock.now()
            seen, started = _instant(session.get(SEEN_AT)), _instant(session.get(AUTH_AT))
            if seen is None or started is None:  # a session from before this middleware: start counting now
                session[AUTH_AT] = session[SEEN_AT] = now.isoformat()
            elif now - seen >= policy.session_idle_timeout() or now - started >= policy.session_absolute_timeout():
                idle = now - seen >= policy.session_idle_timeout()
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                    % {"minutes": policy.session_idle_timeout() // dt.timedelta(minutes=1)}
                    if idle
                    else _("Your session has reached its maximum length. Please log in again."),
                )
                if request.headers.get("HX-Request") == "true":
                    return _htmx_to_login(request)
            elif now - seen >= policy.ACTIVITY_RESOLUTION:
                session[SEEN_AT] = now.isoformat()
        return self.get_response(request)


def _htmx_to_login(request: HttpRequest) -> HttpResponse:
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    target = current.path or "/"
    if current.query:
        target += "?" + current.query
    response = HttpResponse(status=204)
    response["HX-Redirect"] = reverse("web:login") + "?" + urlencode({"next": target})
    return response
