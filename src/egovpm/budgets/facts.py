"""Budget records → plain facts for the clause-3 checks (rules/facts_budgets.py), as of a date:
only baselines approved, adjustments decided, filings made and spending dated on or before it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from egovpm.budgets.choices import AdjustmentStatus
from egovpm.budgets.models import Adjustment
from egovpm.budgets.selectors import estimate_state, spent_by_line
from egovpm.core.clock import BEIJING
from egovpm.projects.models import Project
from egovpm.rules.facts_budgets import (
    AdjustmentFact,
    AdjustmentsFact,
    EstimateFact,
    SpendingFact,
    SpendingLineFact,
)

ZERO = Decimal(0)


def budget_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    state = estimate_state(project=project, as_of=as_of)
    if state is None:
        # No estimate entered: C3.0 fails (it is a record of this product); the others have nothing to judge.
        return {
            "estimate": EstimateFact(total=ZERO, lines_sum=ZERO, line_count=0, approved=False, exists=False),
            "adjustments": AdjustmentsFact(effective=(), baseline_total=None),
            "spending": SpendingFact(lines=(), approved=False),
        }
    approved = state.baseline is not None
    estimate = EstimateFact(
        total=state.total,
        lines_sum=sum((li.current_amount for li in state.lines), ZERO),
        line_count=len(state.lines),
        approved=approved,
        baseline_total=state.total if approved else None,
    )
    effective = []
    pending = 0
    for a in Adjustment.objects.filter(project=project).order_by("number"):
        if a.status == AdjustmentStatus.PENDING or (a.decided_on is not None and a.decided_on > as_of):
            pending += a.status == AdjustmentStatus.PENDING
            continue
        if a.status != AdjustmentStatus.APPROVED or a.decided_on is None:
            continue
        filed = a.filed_on if a.filed_on is not None and a.filed_on <= as_of else None
        effective.append(
            AdjustmentFact(
                number=a.number,
                route=a.route,
                reason=a.reason,
                goals_unchanged=a.goals_unchanged,
                moved=a.moved,
                new_total=a.new_total,
                baseline_total=a.baseline_total,
                prior_moved=a.prior_moved,
                decided_on=a.decided_on,
                filed_on=filed,
                acknowledged=filed is not None
                and a.acknowledged_at is not None
                and a.acknowledged_at.astimezone(BEIJING).date() <= as_of,
            )
        )
    spent = spent_by_line(project=project, as_of=as_of)
    return {
        "estimate": estimate,
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
