"""Budget records → plain facts for the clause-3 checks (rules/facts_budgets.py), as of a date:
only baselines approved, adjustments decided, filings made and spending dated on or before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from egovpm.budgets.choices import AdjustmentStatus
from egovpm.budgets.models import Adjustment
from egovpm.budgets.selectors import EstimateState, estimate_states, spent_by_lines
from egovpm.core.clock import BEIJING
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.rules.facts_budgets import (
    AdjustmentFact,
    AdjustmentsFact,
    EstimateFact,
    SpendingFact,
    SpendingLineFact,
)

ZERO = Decimal(0)

# No estimate entered: C3.0 fails (it is a record of this product); the others have nothing to judge.
NO_ESTIMATE: dict[str, Any] = {
    "estimate": EstimateFact(total=ZERO, lines_sum=ZERO, line_count=0, approved=False, exists=False),
    "adjustments": AdjustmentsFact(effective=(), baseline_total=None),
    "spending": SpendingFact(lines=(), approved=False),
}


def budget_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: the estimate as it stood at the end of `as_of`, the adjustments decided by then
    (and of those the filings and acknowledgements made by then), the spending dated by then. The
    horizon: the estimate's creation, a baseline's approval, an adjustment's decision, filing or
    acknowledgement, or a spending, the first of them dated after `as_of`."""
    horizons = Horizons(as_of)
    states = estimate_states(projects=projects, as_of=as_of, horizons=horizons)
    adjustments = _adjustments(projects, as_of, horizons)
    spent = spent_by_lines(projects=projects, as_of=as_of, horizons=horizons)
    out: dict[Any, dict[str, Any]] = {}
    for p in projects:
        state = states[p.pk]
        facts = NO_ESTIMATE if state is None else _facts(state, *adjustments[p.pk], spent[p.pk])
        out[p.pk] = {**facts, "horizon": horizons.get(p.pk)}
    return out


def _adjustments(
    projects: Sequence[Project], as_of: dt.date, horizons: Horizons
) -> dict[Any, tuple[list[AdjustmentFact], int]]:
    """Per project: the approved adjustments decided on or before `as_of` by number, and the
    number of pending requests."""
    out: dict[Any, tuple[list[AdjustmentFact], int]] = {p.pk: ([], 0) for p in projects}
    rows = (
        Adjustment.objects.filter(project_id__any_of=project_ids(projects))
        .order_by("project_id", "number")
        .values(
            "project_id",
            "status",
            "decided_on",
            "filed_on",
            "acknowledged_at",
            "number",
            "route",
            "reason",
            "goals_unchanged",
            "moved",
            "new_total",
            "baseline_total",
            "prior_moved",
        )
    )
    for a in rows:
        pk, status, decided_on = a["project_id"], a["status"], a["decided_on"]
        acknowledged_on = a["acknowledged_at"].astimezone(BEIJING).date() if a["acknowledged_at"] else None
        horizons.see(pk, decided_on, a["filed_on"], acknowledged_on)
        effective, pending = out[pk]
        if status == AdjustmentStatus.PENDING or (decided_on is not None and decided_on > as_of):
            out[pk] = (effective, pending + (status == AdjustmentStatus.PENDING))
            continue
        if status != AdjustmentStatus.APPROVED or decided_on is None:
            continue
        filed = a["filed_on"] if a["filed_on"] is not None and a["filed_on"] <= as_of else None
        effective.append(
            AdjustmentFact(
                number=a["number"],
                route=a["route"],
                reason=a["reason"],
                goals_unchanged=a["goals_unchanged"],
                moved=a["moved"],
                new_total=a["new_total"],
                baseline_total=a["baseline_total"],
                prior_moved=a["prior_moved"],
                decided_on=decided_on,
                filed_on=filed,
                acknowledged=filed is not None and acknowledged_on is not None and acknowledged_on <= as_of,
            )
        )
    return out


def _facts(
    state: EstimateState, effective: list[AdjustmentFact], pending: int, spent: dict[str, Decimal]
) -> dict[str, Any]:
    approved = state.baseline is not None
    return {
        "estimate": EstimateFact(
            total=state.total,
            lines_sum=sum((li.current_amount for li in state.lines), ZERO),
            line_count=len(state.lines),
            approved=approved,
            baseline_total=state.total if approved else None,
        ),
        "adjustments": AdjustmentsFact(
            effective=tuple(effective),
            baseline_total=state.total if approved else None,
            cumulative_moved=state.cumulative_moved,
            pending=pending,
        ),
        "spending": SpendingFact(
            lines=tuple(
                SpendingLineFact(li.code, li.name, li.current_amount, spent.get(li.code, ZERO)) for li in state.lines
            ),
            approved=approved,
        ),
    }
