"""The application's clock.

Everything that asks "what time is it?" asks here, so that `EGOVPM_NOW` (api.md) can pin the
whole application to one instant for demos, training and tests. Deadlines are calendar dates in
Asia/Shanghai (domain.md §3), so `today()` is the Beijing date, whatever the server's zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")

_override: dt.datetime | None = None


def _parse(value: str) -> dt.datetime:
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise ValueError("EGOVPM_NOW needs an offset, e.g. 2027-08-01T09:00:00+08:00")
    return instant


def set_now(instant: dt.datetime | None) -> None:
    """Pin (or, with None, release) the clock. Tests use this; so does EGOVPM_NOW."""
    global _override
    if instant is not None and instant.tzinfo is None:
        raise ValueError("naive datetimes are refused")
    _override = instant


def now() -> dt.datetime:
    """The current instant, always in UTC (style.md habit 12: store UTC)."""
    if _override is not None:
        return _override.astimezone(dt.UTC)
    configured = getattr(settings, "EGOVPM_NOW", "")
    if configured:
        return _parse(configured).astimezone(dt.UTC)
    return timezone.now()


def today() -> dt.date:
    """Today's calendar date in Beijing."""
    return now().astimezone(BEIJING).date()
