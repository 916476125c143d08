"""Login lockout: after the security policy's number of failed attempts for one username within
its window (accounts/policy.py: lockout_failures, lockout_window; EGOVPM_LOCKOUT_FAILURES and
EGOVPM_LOCKOUT_MINUTES until sec_admin sets them), further attempts are refused until the window has
passed since the last failure — even with the right password. A success clears the count, and so
does sec_admin's unlock (a row of channel "unlock"). Applies to the UI and the API.

Own code rather than django-axes: it is twenty lines, uses the application clock (EGOVPM_NOW),
and needs no middleware to work with DRF's token endpoint."""

from __future__ import annotations

import datetime as dt

from egovpm.accounts import policy
from egovpm.accounts.models import LoginAttempt
from egovpm.core import clock

UNLOCK_CHANNEL = "unlock"  # a row written by sec_admin's unlock: counts as a success (resets the count)


def locked_until(username: str) -> dt.datetime | None:
    window = policy.lockout_window()
    failures = policy.lockout_failures()
    now = clock.now()
    recent = list(
        LoginAttempt.objects.filter(username=username, at__gt=now - window)
        .order_by("-at", "-pk")
        .values_list("succeeded", "at")[:failures]
    )
    if len(recent) < failures or any(ok for ok, _ in recent):
        return None
    return recent[0][1] + window


def locked_usernames() -> dict[str, dt.datetime]:
    """Every username locked now, with the instant it unlocks by itself: the attempts of the
    window, read in one query and judged as locked_until does."""
    window = policy.lockout_window()
    failures = policy.lockout_failures()
    now = clock.now()
    rows = (
        LoginAttempt.objects.filter(at__gt=now - window)
        .order_by("username", "-at", "-pk")
        .values_list("username", "succeeded", "at")
    )
    recent: dict[str, list[tuple[bool, dt.datetime]]] = {}
    for username, ok, at in rows:
        seen = recent.setdefault(username, [])
        if len(seen) < failures:
            seen.append((ok, at))
    return {
        username: seen[0][1] + window
        for username, seen in recent.items()
        if len(seen) == failures and not any(ok for ok, _ in seen)
    }


def record_attempt(username: str, *, succeeded: bool, ip: str | None, channel: str) -> None:
    LoginAttempt.objects.create(username=username, at=clock.now(), succeeded=succeeded, ip=ip, channel=channel)
