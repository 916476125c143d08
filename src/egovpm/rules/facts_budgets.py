"""Budget facts for the clause-3 checks (domain.md §5): plain frozen dataclasses, no Django.

`egovpm.budgets.facts` turns the records into these; the two small helpers below (exact ratio
strings and the division-free limit comparison) are shared by the checks and by the budgets app's
routing, so the rule and the route can never disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Context, Decimal, localcontext

# Digits after the point kept when a ratio does not terminate (e.g. 1/3). The value is rounded
# UP (ceiling) there: rounding up cannot carry a value above a limit of at most this many digits
# to or below it, and a value at or below the limit stays at or below it (a ≤ L ⇒ ceil(a) ≤ L when
# L has ≤ RATIO_PLACES digits), so the string never reads as passing when the ratio fails.
RATIO_PLACES = 18


def exact_ratio(numerator: Decimal, denominator: Decimal) -> str:
    """numerator / denominator as a plain decimal string: exact when the quotient terminates
    within RATIO_PLACES digits ("0.15", "0.150000001"), else rounded up at the last digit."""
    if denominator <= 0:
        raise ValueError("a ratio needs a positive denominator")
    with localcontext(Context(prec=60)):
        quotient = numerator / denominator
        exponent = quotient.as_tuple().exponent  # an int: the quotient is finite
        if quotient * denominator != numerator or (isinstance(exponent, int) and exponent < -RATIO_PLACES):
            quotient = quotient.quantize(Decimal(1).scaleb(-RATIO_PLACES), rounding=ROUND_CEILING)
        text = format(quotient.normalize(), "f")
    return text


def within_limit(moved: Decimal, base: Decimal, limit_percent: Decimal | int | str) -> bool:
    """clause 3: 100 × moved ≤ limit_percent × base — compared without division, inclusive."""
    return Decimal(100) * moved <= Decimal(str(limit_percent)) * base


@dataclass(frozen=True)
class EstimateFact:
    """The estimate as of the judged date: the draft before approval, the baseline after it."""

    total: Decimal
    lines_sum: Decimal
    line_count: int
    approved: bool  # a baseline exists (approve_preliminary_design passed)
    baseline_total: Decimal | None = None
    exists: bool = True  # False: no estimate has been entered at all


@dataclass(frozen=True)
class AdjustmentFact:
    """One adjustment that took effect (approved on or before the judged date)."""

    number: int
    route: str  # self_approval | ndrc_approval
    reason: str
    goals_unchanged: bool
    moved: Decimal
    new_total: Decimal
    baseline_total: Decimal  # B at the decision
    prior_moved: Decimal  # earlier self-approved moves since that baseline, at the decision
    decided_on: dt.date
    filed_on: dt.date | None = None  # filing with NDRC (备案), self-approvals only
    acknowledged: bool = False


@dataclass(frozen=True)
class AdjustmentsFact:
    effective: tuple[AdjustmentFact, ...]
    baseline_total: Decimal | None  # current B as of the judged date (None before approval)
    cumulative_moved: Decimal = Decimal(0)  # self-approved moves since the current baseline
    pending: int = 0


@dataclass(frozen=True)
class SpendingLineFact:
    code: str
    name: str
    effective_amount: Decimal
    spent: Decimal


@dataclass(frozen=True)
class SpendingFact:
    lines: tuple[SpendingLineFact, ...]
    approved: bool  # a baseline exists as of the judged date
