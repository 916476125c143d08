"""Login lockout: after EGOVPM_LOCKOUT_FAILURES failed attempts for one username within
EGOVPM_LOCKOUT_MINUTES, further attempts are refused until the window has passed since the last
failure — even with the right password. A success clears the count. Applies to the UI and the API.

Own code rather than django-axes: it is twenty lines, uses the application clock (EGOVPM_NOW),
and needs no middleware to work with DRF's token endpoint."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from egovpm.accounts.models import LoginAttempt
from egovpm.core import clock


def locked_until(username: str) -> dt.datetime | None:
    window = dt.timedelta(minutes=settings.EGOVPM_LOCKOUT_MINUTES)
    now = clock.now()
    recent = list(
        LoginAttempt.objects.filter(username=username, at__gt=now - window)
        .order_by("-at")
        .values_list("succeeded", "at")[: settings.EGOVPM_LOCKOUT_FAILURES]
    )
    if len(recent) < settings.EGOVPM_LOCKOUT_FAILURES or any(ok for ok, _ in recent):
        return None
    return recent[0][1] + window


def record_attempt(username: str, *, succeeded: bool, ip: str | None, channel: str) -> None:
    LoginAttempt.objects.create(username=username, at=clock.now(), succeeded=succeeded, ip=ip, channel=channel)
