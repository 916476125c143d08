"""Records of the inspections app → plain facts for C8.1 (machine.RectificationFact)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from egovpm.inspections.machine import ItemEvent, RectificationFact, becomes_overdue_on
from egovpm.inspections.models import RectificationItem
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project


def inspection_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: its rectification items issued on or before `as_of`, with their events dated
    on or before it — ONE query for the batch (items LEFT JOIN events). The horizon is the earliest
    of an item issued or an event dated after `as_of`, and the day an item open on `as_of` turns
    overdue."""
    horizons = Horizons(as_of)
    rows = (
        RectificationItem.objects.filter(project_id__any_of=project_ids(projects))
        .order_by("project_id", "initial_due_date", "finding__inspection__reference", "finding__seq", "events__seq")
        .values_list(
            "project_id",
            "pk",
            "issued_on",
            "initial_due_date",
            "finding__seq",
            "finding__inspection__reference",
            "events__kind",
            "events__effective_date",
            "events__new_due_date",
        )
    )
    items: dict[Any, dict[Any, tuple[str, int, dt.date, list[ItemEvent]]]] = defaultdict(dict)
    for pk, item_id, issued_on, initial_due, seq, reference, kind, effective, new_due in rows:
        if issued_on > as_of:
            horizons.see(pk, issued_on)
            continue
        entry = items[pk].setdefault(item_id, (reference, seq, initial_due, []))
        if kind is None:
            continue
        if effective <= as_of:
            entry[3].append(ItemEvent(kind, effective, new_due))
        else:
            horizons.see(pk, effective)
    out: dict[Any, dict[str, Any]] = {}
    for p in projects:
        facts = tuple(
            RectificationFact(reference=ref, finding=seq, initial_due=due, events=tuple(events))
            for ref, seq, due, events in items.get(p.pk, {}).values()
        )
        for fact in facts:
            horizons.see(p.pk, becomes_overdue_on(fact.on(as_of), as_of))
        out[p.pk] = {"inspections": facts, "horizon": horizons.get(p.pk)}
    return out
