"""Check of clause 八 C8.1 (no rectification item overdue) over the inspections app's facts
(inspections.machine.RectificationFact): each item replayed as of the date, Beijing dates,
the due date inclusive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from egovpm.rules.engine import Verdict, check, earliest, failed, holding_until, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_inspections import RectificationFact, becomes_overdue_on

R = "r2007"
ONE_DAY = dt.timedelta(days=1)


@check(R, "C8.1")
def no_overdue_rectification(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 8: 对检查发现的问题，项目建设单位应当及时整改 — overdue on D when open and due < D
    if facts.inspections is None:
        return not_applicable("missing_records")
    items = cast(tuple[RectificationFact, ...], facts.inspections)  # set by the app's fact provider
    if not items:
        return not_applicable("none")  # never inspected, or nothing to rectify: nothing to judge yet
    states = [(item, item.on(ctx.as_of)) for item in items]
    # the verdict holds until the day before an open item turns overdue (records dated later
    # count from their own date: the facts' horizon)
    until = earliest(becomes_overdue_on(s, ctx.as_of) for _, s in states)
    until = until - ONE_DAY if until is not None else None
    overdue = [(item, s) for item, s in states if s.overdue]
    if overdue:
        zh = "、".join(f"{i.reference}第{i.finding}项（应于{s.due_date.isoformat()}前整改）" for i, s in overdue)
        en = ", ".join(f"{i.reference} finding {i.finding} (due {s.due_date.isoformat()})" for i, s in overdue)
        return holding_until(failed(items=zh, items_en=en, count=len(overdue)), until)
    return holding_until(passed(count=len(items)), until)
