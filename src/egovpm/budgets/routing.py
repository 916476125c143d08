"""The routing maths of clause 3 (domain.md §5) as pure functions over Decimals — no Django, no
floats. The services call `route_request` when a request is made and again at decision time
under the estimate's row lock; the property tests drive `Ledger` through random sequences.

    new_total        = Σ n_i over all lines after the change
    moved            = max(Σ max(d_i, 0), Σ max(−d_i, 0))      d_i = n_i − a_i (named lines only)
    ratio            = moved / B
    cumulative_ratio = (prior + moved) / B                  prior: earlier self-approvals since B
    C3.3 holds       ⇔ 100 × (prior + moved) ≤ limit_percent × B   (no division, inclusive)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from egovpm.rules.facts_budgets import exact_ratio, within_limit

SELF_APPROVAL = "self_approval"
NDRC_APPROVAL = "ndrc_approval"
EXCEEDS_TOTAL = "exceeds_total"
GOALS_CHANGED = "goals_changed"
OVER_15_PERCENT = "over_15_percent"
REASON_NOT_ALLOWED = "reason_not_allowed"
DEFAULT_REASONS = frozenset({"optimization", "new_policy", "schedule"})
ZERO = Decimal(0)


@dataclass(frozen=True)
class Params:
    """The pack parameters of C3.3 and C3.4 (rules/packs/r2007.yaml)."""

    limit_percent: Decimal = Decimal(15)
    cumulative: bool = True
    allowed_reasons: frozenset[str] = DEFAULT_REASONS

    @classmethod
    def from_pack(cls, c33: Mapping[str, object], c34: Mapping[str, object]) -> Params:
        reasons = c34.get("allowed_reasons")
        return cls(
            limit_percent=Decimal(str(c33.get("limit_percent", 15))),
            cumulative=bool(c33.get("cumulative", True)),
            allowed_reasons=frozenset(str(r) for r in reasons) if isinstance(reasons, list) else DEFAULT_REASONS,
        )


@dataclass(frozen=True)
class RouteResult:
    route: str
    failed: tuple[str, ...]
    new_total: Decimal
    moved: Decimal
    prior: Decimal
    ratio: str
    cumulative_ratio: str
    baseline_total: Decimal

    @property
    def qualifies(self) -> bool:
        return not self.failed

    def adjustment_fields(self) -> dict[str, object]:
        """The Adjustment columns this routing decides (clause 3, domain.md §5): the request's
        route as routed, the amounts and ratios it was judged on, and the conditions it failed."""
        return {
            "route": self.route,
            "requested_route": self.route,
            "new_total": self.new_total,
            "moved": self.moved,
            "prior_moved": self.prior,
            "baseline_total": self.baseline_total,
            "ratio": self.ratio,
            "cumulative_ratio": self.cumulative_ratio,
            "failed": list(self.failed),
        }


def moved_between(current: Mapping[str, Decimal], proposed: Mapping[str, Decimal]) -> Decimal:
    """Money moved between lines: the larger of what is added and what is taken (a pure cut counts)."""
    up = down = ZERO
    for code, new in proposed.items():
        d = new - current.get(code, ZERO)
        if d > 0:
            up += d
        else:
            down -= d
    return max(up, down)


def apply(current: Mapping[str, Decimal], proposed: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """The lines after the change: named lines take their new amount, new lines are added."""
    return {**current, **proposed}


def route_request(
    *,
    baseline_total: Decimal,
    current: Mapping[str, Decimal],
    proposed: Mapping[str, Decimal],
    prior: Decimal,
    goals_unchanged: bool,
    reason: str,
    params: Params = Params(),  # noqa: B008 — frozen, immutable default
) -> RouteResult:
    """Route one request against the current baseline `baseline_total` (B) and effective lines."""
    if baseline_total <= 0:
        raise ValueError("the baseline total must be positive")
    new_total = sum(apply(current, proposed).values(), ZERO)
    moved = moved_between(current, proposed)
    counted = prior + moved if params.cumulative else moved
    failed = []
    if new_total > baseline_total:  # C3.1 总投资不超出批复概算
        failed.append(EXCEEDS_TOTAL)
    if not goals_unchanged:  # C3.2 建设目标不变
        failed.append(GOALS_CHANGED)
    if not within_limit(counted, baseline_total, params.limit_percent):  # C3.3 ≤ 15 %, inclusive
        failed.append(OVER_15_PERCENT)
    if reason not in params.allowed_reasons:  # C3.4 three reasons only
        failed.append(REASON_NOT_ALLOWED)
    return RouteResult(
        route=NDRC_APPROVAL if failed else SELF_APPROVAL,
        failed=tuple(failed),
        new_total=new_total,
        moved=moved,
        prior=prior,
        ratio=exact_ratio(moved, baseline_total),
        cumulative_ratio=exact_ratio(prior + moved, baseline_total),
        baseline_total=baseline_total,
    )


# ------------------------------------------------------------------ a pure model of the ledger


@dataclass(frozen=True)
class Request:
    number: int
    proposed: Mapping[str, Decimal]
    goals_unchanged: bool
    reason: str
    route: str
    made_at_version: int
    status: str = "pending"


@dataclass(frozen=True)
class Ledger:
    """The estimate after approval, as the services keep it: B, the effective lines, the moves
    self-approved since B, and for every line the version at which an approval last changed it
    (a request naming a line changed after the request was made is stale)."""

    baseline_total: Decimal
    lines: Mapping[str, Decimal]
    prior: Decimal = ZERO
    version: int = 0
    changed: Mapping[str, int] = field(default_factory=dict)
    params: Params = Params()  # noqa: B008

    @classmethod
    def start(cls, lines: Mapping[str, Decimal], params: Params = Params()) -> Ledger:  # noqa: B008
        return cls(baseline_total=sum(lines.values(), ZERO), lines=dict(lines), params=params)

    def route(self, proposed: Mapping[str, Decimal], goals_unchanged: bool, reason: str) -> RouteResult:
        return route_request(
            baseline_total=self.baseline_total,
            current=self.lines,
            proposed=proposed,
            prior=self.prior,
            goals_unchanged=goals_unchanged,
            reason=reason,
            params=self.params,
        )

    def request(self, number: int, proposed: Mapping[str, Decimal], goals_unchanged: bool, reason: str) -> Request:
        route = self.route(proposed, goals_unchanged, reason).route
        return Request(number, dict(proposed), goals_unchanged, reason, route, self.version)

    def is_stale(self, request: Request) -> bool:
        return any(self.changed.get(code, -1) > request.made_at_version for code in request.proposed)

    def approve(self, request: Request) -> tuple[Ledger, Request, str]:
        """Decide `request` as approved: (new ledger, request after, outcome) where outcome is
        "approved", "stale" or "rerouted" (a self-approval that no longer qualifies)."""
        if request.status != "pending":
            raise ValueError("only a pending request is decided")
        if self.is_stale(request):
            return self, replace(request, status="stale"), "stale"
        result = self.route(request.proposed, request.goals_unchanged, request.reason)
        if request.route == SELF_APPROVAL and not result.qualifies:
            return self, replace(request, route=NDRC_APPROVAL), "rerouted"
        version = self.version + 1
        lines = apply(self.lines, request.proposed)
        changed = {**self.changed, **dict.fromkeys(request.proposed, version)}
        if request.route == SELF_APPROVAL:
            ledger = replace(self, lines=lines, prior=self.prior + result.moved, version=version, changed=changed)
        else:  # NDRC re-baselines: B is the new total, the cumulative count restarts
            ledger = replace(
                self, baseline_total=result.new_total, lines=lines, prior=ZERO, version=version, changed=changed
            )
        return ledger, replace(request, status="approved"), "approved"

    def close(self, request: Request, status: str) -> Request:
        """Reject or withdraw: the request ends, the ledger is untouched."""
        if request.status != "pending":
            raise ValueError("only a pending request is closed")
        return replace(request, status=status)


def total(lines: Iterable[Decimal]) -> Decimal:
    return sum(lines, ZERO)
