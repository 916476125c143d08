"""Checks of clause 四 (progress reports): C4.1 no overdue report, C4.2 no late submission.

Pure functions over facts: the obligations are derived from the stage events and the as_of date
(rules/facts_reports.py), the due dates are the pack's C4.1 parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egovpm.rules.engine import Verdict, check, failed, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_reports import OVERDUE, PENDING, ReportsFacts, report_obligations

R = "r2007"


def _states(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> list[Any] | None:
    if not isinstance(facts.reports, ReportsFacts):
        return None
    return report_obligations(facts.events, facts.reports.submissions, ctx.as_of, params)


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
    if not states:
        return not_applicable("none_yet")
    late = [s for s in states if s.on_time is False and s.status != OVERDUE]
    if late:
        zh, en = _items(late)
        return failed(items=zh, items_en=en, count=len(late))
    return passed(count=sum(1 for s in states if s.on_time))
