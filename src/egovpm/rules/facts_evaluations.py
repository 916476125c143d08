"""Facts of the evaluations app for the rules (clause 八, C8.2): plain frozen dataclasses, no Django.

`ProjectFacts.evaluations` holds a tuple of PostEvaluationFact — the post-evaluations dated on or
before `as_of`, oldest first, each saying whether it rates every goal approved with the preliminary
design. When the project went into operation is in `ProjectFacts.events` (the effective date of
pass_completion_acceptance)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PostEvaluationFact:
    evaluated_on: dt.date
    rates_all_goals: bool
    conclusion: str = ""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same calendar day `months` later; the month's last day when it has no such day
    (2024-02-29 + 12 → 2025-02-28; 2025-01-31 + 1 → 2025-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(in_operation_since: dt.date, months: int) -> dt.date:
    """The last day (Beijing date, inclusive) on which a project in operation since
    `in_operation_since` may still lack its post-evaluation: completed 2025-06-30 with 12 months →
    due 2026-06-30, failing from 2026-07-01."""
    return add_months(in_operation_since, months)


def in_operation_since(events: tuple[object, ...]) -> dt.date | None:
    """The effective date of the latest pass_completion_acceptance among the stage-event facts."""
    since = None
    for event in events:
        if getattr(event, "action", None) == "pass_completion_acceptance":
            since = getattr(event, "effective_date", None)
    return since
