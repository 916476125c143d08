"""The security policy (domain.md §14): password rules, login lockout, session idle timeout and API
token lifetime, in ONE place.

sec_admin sets the values in the browser or the API (accounts/admin_services.py: policy_set); they
are kept in one database row (accounts.models.SecurityPolicy). Until that row exists the values come
from the settings (environment variables, checked against the bounds below at start-up:
config/settings.py refuses a value outside them). Either way every value is clamped to its bounds
here, and every caller — the password validators, the lockout, the session middleware, token issue
and authentication — asks here, never reads the settings or the row itself.

The row is read at most once per CACHE_FOR of the application clock per process (no query per
request): a change reaches the other server processes within that time, and the process that made
it at once (policy_set calls forget()).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings

# Safe bounds (inclusive). A token that lives longer than a year or a session that stays open
# for a working day without activity is not a policy a security administrator may choose; nor a
# password shorter than 8 characters (GB/T 22239 level 2 asks for complexity), a lockout that
# never comes (more than 10 failures) or that locks on the first typo (fewer than 2).
TOKEN_LIFETIME_DAYS_BOUNDS = (1, 365)
SESSION_IDLE_MINUTES_BOUNDS = (5, 240)
PASSWORD_MIN_LENGTH_BOUNDS = (8, 64)
PASSWORD_CLASSES_BOUNDS = (3, 4)
LOCKOUT_FAILURES_BOUNDS = (2, 10)
LOCKOUT_MINUTES_BOUNDS = (5, 1440)

# last_used_at is written at most this often per token, and the session's last activity at most
# this often per session: one write per minute of use instead of one per request (a page with
# htmx tabs makes several requests a second). The recorded instant is therefore up to this much
# older than the true last use, and the idle timeout may let a session live up to this much longer.
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)

# How long a process keeps the policy row it read (application clock).
CACHE_FOR = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class PolicyValues:
    password_min_length: int
    password_classes: int
    lockout_failures: int
    lockout_minutes: int
    session_idle_minutes: int
    token_lifetime_days: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# field -> (bounds, the setting that gives its default, the default when that setting is absent)
FIELDS: dict[str, tuple[tuple[int, int], str, int]] = {
    "password_min_length": (PASSWORD_MIN_LENGTH_BOUNDS, "EGOVPM_PASSWORD_MIN_LENGTH", 10),
    "password_classes": (PASSWORD_CLASSES_BOUNDS, "EGOVPM_PASSWORD_CLASSES", 3),
    "lockout_failures": (LOCKOUT_FAILURES_BOUNDS, "EGOVPM_LOCKOUT_FAILURES", 5),
    "lockout_minutes": (LOCKOUT_MINUTES_BOUNDS, "EGOVPM_LOCKOUT_MINUTES", 15),
    "session_idle_minutes": (SESSION_IDLE_MINUTES_BOUNDS, "EGOVPM_SESSION_IDLE_MINUTES", 30),
    "token_lifetime_days": (TOKEN_LIFETIME_DAYS_BOUNDS, "EGOVPM_TOKEN_LIFETIME_DAYS", 30),
}

_cached: tuple[dt.datetime, Any] | None = None  # (read at, the row or None)


def _bounded(value: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    return min(max(int(value), low), high)


_changed = False  # a policy was saved in this process since the last forget_if_changed()


def forget() -> None:
    """Drop this process's copy of the policy row: the next question reads it again."""
    global _cached
    _cached = None


def changed() -> None:
    """A policy was saved here (policy_set): read it again at the next question."""
    global _changed
    _changed = True
    forget()


def forget_if_changed() -> None:
    """For tests, after each one: a policy a test saved is rolled back with its transaction, so
    this process must not keep it (tests/conftest.py). Costs nothing when no policy was saved."""
    global _changed
    if _changed:
        _changed = False
        forget()


def _row() -> Any:
    global _cached
    from egovpm.accounts.models import SecurityPolicy
    from egovpm.core import clock

    now = clock.now()
    if _cached is not None and dt.timedelta(0) <= now - _cached[0] < CACHE_FOR:
        return _cached[1]
    row = SecurityPolicy.objects.filter(pk=1).first()
    _cached = (now, row)
    return row


def defaults() -> PolicyValues:
    """The values the settings give (what applies while sec_admin has saved no policy)."""
    return PolicyValues(
        **{
            name: _bounded(getattr(settings, setting, default), bounds)
            for name, (bounds, setting, default) in FIELDS.items()
        }
    )


def current() -> PolicyValues:
    """The policy in force: the saved row, else the settings; each value within its bounds."""
    row = _row()
    if row is None:
        return defaults()
    return PolicyValues(**{name: _bounded(getattr(row, name), bounds) for name, (bounds, _s, _d) in FIELDS.items()})


def token_lifetime() -> dt.timedelta:
    """How long an API token is valid after it is issued (EGOVPM_TOKEN_LIFETIME_DAYS, default 30)."""
    return dt.timedelta(days=current().token_lifetime_days)


def session_idle_timeout() -> dt.timedelta:
    """A UI session without a request for this long is logged out (EGOVPM_SESSION_IDLE_MINUTES, default 30)."""
    return dt.timedelta(minutes=current().session_idle_minutes)


def session_absolute_timeout() -> dt.timedelta:
    """A UI session ends this long after the login, however active (SESSION_COOKIE_AGE, 8 hours)."""
    return dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def lockout_failures() -> int:
    """This many failed logins of one username within lockout_window() lock it (default 5)."""
    return current().lockout_failures


def lockout_window() -> dt.timedelta:
    """The lockout's window, and how long a locked username stays locked after its last failure (15 min)."""
    return dt.timedelta(minutes=current().lockout_minutes)


def password_min_length() -> int:
    return current().password_min_length


def password_classes() -> int:
    """How many of lower case, upper case, digits and symbols a password must mix (default 3)."""
    return current().password_classes
