"""Progress reports (clause 四, domain.md §6) as plain facts, and the pure arithmetic of periods,
deadlines and statuses. No Django: the checks (rules/checks/r2007_reports.py), the reports app and
the boundary tests all use these same functions.

Obligations are never stored: they are derived from the project's stage events and the `as_of`
date, so nothing depends on a job having run. Only submissions (and their returns) are records.

Deadlines are calendar dates in Asia/Shanghai and inclusive: a report due on 31 July is on time when
submitted at any instant whose Beijing date is 31 July or earlier (23:59:59+08:00 is on time,
00:00:00+08:00 on 1 August is late), whatever zone the instant is written in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

HALF_YEAR = "half_year"
ANNUAL = "annual"

PENDING = "pending"
OVERDUE = "overdue"
ON_TIME = "submitted_on_time"
LATE = "submitted_late"
RETURNED = "returned"
STATUSES = (PENDING, OVERDUE, ON_TIME, LATE, RETURNED)

START_ACTION = "approve_preliminary_design"
END_ACTIONS = ("pass_completion_acceptance", "cancel")

# The notice's dates (7月底前 / 次年1月底前); the pack's C4.1 params override them.
DEFAULT_PARAMS: Mapping[str, Any] = {"half_year_due": {"month": 7, "day": 31}, "annual_due": {"month": 1, "day": 31}}

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?P<h1>-H1)?$")


@dataclass(frozen=True)
class ReportSubmissionFact:
    """One submission of a report (version 1 is the first; later ones follow a return)."""

    period: str
    version: int
    submitted_at: dt.datetime  # aware; the instant that counts (a paper submission's real time)
    returned_at: dt.datetime | None = None


@dataclass(frozen=True)
class ReportsFacts:
    submissions: tuple[ReportSubmissionFact, ...] = ()


@dataclass(frozen=True)
class Period:
    code: str  # "2025-H1" or "2025"
    kind: str  # half_year | annual
    year: int
    start: dt.date
    end: dt.date
    due: dt.date

    @property
    def label_zh(self) -> str:
        return f"{self.year}年上半年" if self.kind == HALF_YEAR else f"{self.year}年度"

    @property
    def label_en(self) -> str:
        return f"first half of {self.year}" if self.kind == HALF_YEAR else f"year {self.year}"

    def ended_by(self, day: dt.date) -> bool:
        """A report may be submitted once its period has ended: from the day after `end`."""
        return day > self.end


@dataclass(frozen=True)
class ReportState:
    """An obligation and its status as of a date."""

    period: Period
    status: str
    first_submitted_at: dt.datetime | None = None
    latest_version: int = 0
    on_time: bool | None = None  # judged by the first submission; None while never submitted

    @property
    def code(self) -> str:
        return self.period.code


def beijing_date(instant: dt.datetime) -> dt.date:
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are refused")
    return instant.astimezone(BEIJING).date()


def _due(year: int, spec: Mapping[str, Any]) -> dt.date:
    return dt.date(year, int(spec["month"]), int(spec["day"]))


def period_from_code(code: str, params: Mapping[str, Any] | None = None) -> Period:
    """`2025-H1` → the first half of 2025, due 31 July 2025; `2025` → 2025, due 31 January 2026."""
    params = params or DEFAULT_PARAMS
    m = PERIOD_RE.match(code or "")
    if not m:
        raise ValueError(f"a report period is YYYY-H1 or YYYY, not {code!r}")
    year = int(m["year"])
    if year < 1900:
        raise ValueError(f"no report period in {year}")
    if m["h1"]:
        spec = params.get("half_year_due") or DEFAULT_PARAMS["half_year_due"]
        return Period(code, HALF_YEAR, year, dt.date(year, 1, 1), dt.date(year, 6, 30), _due(year, spec))
    spec = params.get("annual_due") or DEFAULT_PARAMS["annual_due"]
    return Period(code, ANNUAL, year, dt.date(year, 1, 1), dt.date(year, 12, 31), _due(year + 1, spec))


def construction_window(events: Iterable[Any], as_of: dt.date) -> tuple[dt.date, dt.date | None] | None:
    """(first day, last day or None while ongoing) in construction as known on `as_of` (domain.md §4):
    from the effective date of approve_preliminary_design to that of pass_completion_acceptance or
    cancel, both inclusive. `events` have `.action` and `.effective_date`, in recorded order."""
    start: dt.date | None = None
    for e in events:
        if e.effective_date > as_of:
            continue
        if start is None:
            if e.action == START_ACTION:
                start = e.effective_date
        elif e.action in END_ACTIONS:
            return start, e.effective_date
    return (start, None) if start is not None else None


def report_periods(
    window: tuple[dt.date, dt.date | None] | None, as_of: dt.date, params: Mapping[str, Any] | None = None
) -> list[Period]:
    """Every period that has started by `as_of` and overlaps the construction window, oldest first
    (for a year: the half-year before the annual period)."""
    if window is None:
        return []
    start, end = window
    last = min(end, as_of) if end is not None else as_of
    periods = []
    for year in range(start.year, last.year + 1):
        for code in (f"{year}-H1", f"{year}"):
            p = period_from_code(code, params)
            if p.start <= as_of and p.start <= last and p.end >= start:
                periods.append(p)
    return periods


def report_state(period: Period, submissions: Iterable[ReportSubmissionFact], as_of: dt.date) -> ReportState:
    """Status of one obligation as of `as_of`, judging only submissions and returns dated by then.
    Lateness is judged by the first submission, even after a return and a resubmission."""
    subs = sorted(
        (s for s in submissions if s.period == period.code and beijing_date(s.submitted_at) <= as_of),
        key=lambda s: s.version,
    )
    if not subs:
        return ReportState(period, PENDING if as_of <= period.due else OVERDUE)
    first, latest = subs[0], subs[-1]
    on_time = beijing_date(first.submitted_at) <= period.due  # clause 4: 7月底前 — inclusive, Beijing date
    returned = latest.returned_at is not None and beijing_date(latest.returned_at) <= as_of
    status = RETURNED if returned else (ON_TIME if on_time else LATE)
    return ReportState(period, status, first.submitted_at, latest.version, on_time)


def report_obligations(
    events: Iterable[Any],
    submissions: Iterable[ReportSubmissionFact],
    as_of: dt.date,
    params: Mapping[str, Any] | None = None,
) -> list[ReportState]:
    """Every obligation of a project as of `as_of`, with its status, oldest first.

    C4.1, C4.2 and the stored obligations (the refresh hook, after the whole batch) ask this of
    the same facts: the answer is kept for the same tuples of frozen facts (the very objects, held
    here so that they stay those objects), the same date and equal params — a pure function of
    them. At most _MEMO_SIZE answers are kept (one refresh batch)."""
    memoable = type(events) is tuple and type(submissions) is tuple
    if memoable:
        key = (id(events), id(submissions))
        kept = _memo.get(key)
        if (
            kept is not None
            and kept[0] is events
            and kept[1] is submissions
            and kept[2] == as_of
            and (kept[3] is params or kept[3] == params)
        ):
            return list(kept[4])
    subs = tuple(submissions)
    states = tuple(
        report_state(p, subs, as_of) for p in report_periods(construction_window(events, as_of), as_of, params)
    )
    if memoable:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[key] = (events, submissions, as_of, params, states)
    return list(states)


# (id(events), id(submissions)) → (events, submissions, as_of, params, states) of report_obligations
_MEMO_SIZE = 2048
_memo: dict[tuple[int, int], tuple[Any, Any, dt.date, Any, tuple[ReportState, ...]]] = {}


def due_in_days(state: ReportState, today: dt.date) -> int:
    return (state.period.due - today).days
