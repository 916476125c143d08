"""The security policy (domain.md §14): API token lifetime and the session timeouts, in ONE place.

Today the values come from settings (environment variables, checked against the bounds below at
start-up: config/settings.py refuses a value outside them). domain.md §14 lets `sec_admin` set
them in the browser later: a `SecurityPolicy` model then replaces the bodies of these functions
(reading its one row, clamped to the same bounds) and nothing else has to change — every caller
(token authentication, token issue, the session middleware) asks here, never reads the settings.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

# Safe bounds (inclusive). A token that lives longer than a year or a session that stays open
# for a working day without activity is not a policy a security administrator may choose.
TOKEN_LIFETIME_DAYS_BOUNDS = (1, 365)
SESSION_IDLE_MINUTES_BOUNDS = (5, 240)

# last_used_at is written at most this often per token, and the session's last activity at most
# this often per session: one write per minute of use instead of one per request (a page with
# htmx tabs makes several requests a second). The recorded instant is therefore up to this much
# older than the true last use, and the idle timeout may let a session live up to this much longer.
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)


def _bounded(value: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    return min(max(int(value), low), high)


def token_lifetime() -> dt.timedelta:
    """How long an API token is valid after it is issued (EGOVPM_TOKEN_LIFETIME_DAYS, default 30)."""
    return dt.timedelta(days=_bounded(settings.EGOVPM_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIME_DAYS_BOUNDS))


def session_idle_timeout() -> dt.timedelta:
    """A UI session without a request for this long is logged out (EGOVPM_SESSION_IDLE_MINUTES, default 30)."""
    return dt.timedelta(minutes=_bounded(settings.EGOVPM_SESSION_IDLE_MINUTES, SESSION_IDLE_MINUTES_BOUNDS))


def session_absolute_timeout() -> dt.timedelta:
    """A UI session ends this long after the login, however active (SESSION_COOKIE_AGE, 8 hours)."""
    return dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
