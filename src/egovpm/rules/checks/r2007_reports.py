"""Checks of clause 四 (progress reports): C4.1 no overdue report, C4.2 no late submission.

Pure functions over facts: the obligations are derived from the stage events and the as_of date
(rules/facts_reports.py), the due dates are the pack's C4.1 parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from egovpm.rules.engine import Verdict, check, failed, holding_until, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_reports import (
    OVERDUE,
    PENDING,
    ReportsFacts,
    beijing_date,
    construction_window,
    report_obligations,
)

R = "r2007"
ONE_DAY = dt.timedelta(days=1)


def _states(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> list[Any] | None:
    if not isinstance(facts.reports, ReportsFacts):
        return None
    return report_obligations(facts.events, facts.reports.submissions, ctx.as_of, params)


def _until(facts: ProjectFacts, states: list[Any], ctx: Context) -> dt.date | None:
    """The day before the obligations can next change with the date alone: a new year's periods
    start (1 January, while construction goes on), a pending report becomes overdue (the day after
    its due date), or a submission or return dated later than as_of starts to count."""
    assert isinstance(facts.reports, ReportsFacts)
    boundaries = [s.period.due + ONE_DAY for s in states if s.status == PENDING]
    window = construction_window(facts.events, ctx.as_of)
    if window is not None and window[1] is None:
        boundaries.append(dt.date(ctx.as_of.year + 1, 1, 1))
    boundaries += [e.effective_date for e in facts.events if e.effective_date > ctx.as_of]
    for sub in facts.reports.submissions:
        for instant in (sub.submitted_at, sub.returned_at):
            if instant is not None and beijing_date(instant) > ctx.as_of:
                boundaries.append(beijing_date(instant))
    return min(boundaries) - ONE_DAY if boundaries else None


def _items(states: list[Any]) -> tuple[str, str]:
    zh = "、".join(
        f"{s.period.label_zh}（应于{s.period.due.year}年{s.period.due.month}月{s.period.due.day}日前）" for s in states
    )
    en = ", ".join(f"{s.period.code} (due {s.period.due.isoformat()})" for s in states)
    return zh, en


@check(R, "C4.1")
def no_overdue_report(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 4: 上半年建设情况7月底前、全年建设情况次年1月底前报送发改委和财政部 — inclusive, Beijing dates
    states = _states(facts, params, ctx)
    if states is None:
        return not_applicable("missing_records")
    return holding_until(_overdue_verdict(states), _until(facts, states, ctx))


def _overdue_verdict(states: list[Any]) -> Verdict:
    if not states:
        return not_applicable("none_yet")
    overdue = [s for s in states if s.status == OVERDUE]
    # the next deadline, so the compliance panel shows what is coming as well as what is late
    pending = sorted((s for s in states if s.status == PENDING), key=lambda s: s.period.due)
    upcoming = {"next": "", "next_en": ""}
    if pending:
        zh, en = _items(pending[:1])
        upcoming = {"next": f"；下一期：{zh}", "next_en": f"; next: {en}"}
    if overdue:
        zh, en = _items(overdue)
        return failed(items=zh, items_en=en, count=len(overdue), **upcoming)
    return passed(count=len(states), **upcoming)


@check(R, "C4.2")
def no_late_report(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 4, judged by the first submission of each period (a return does not reset lateness)
    states = _states(facts, params, ctx)  # the pack shares C4.1's due dates with C4.2 (YAML anchor)
    if states is None:
        return not_applicable("missing_records")
    return holding_until(_late_verdict(states), _until(facts, states, ctx))


def _late_verdict(states: list[Any]) -> Verdict:
    if not states:
        return not_applicable("none_yet")
    late = [s for s in states if s.on_time is False and s.status != OVERDUE]
    if late:
        zh, en = _items(late)
        return failed(items=zh, items_en=en, count=len(late))
    return passed(count=sum(1 for s in states if s.on_time))
