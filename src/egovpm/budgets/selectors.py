"""Reads of the budgets app. Project-scoped reads take a project the caller already reached
through `projects.policies.project_for` (404 outside scope).

`budget_execution` is the source of the budget-execution section of progress reports (issue 4):
keep its signature stable."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import Min, Q, QuerySet, Sum

from egovpm.accounts.models import User
from egovpm.budgets import filters
from egovpm.budgets.choices import AdjustmentStatus, Route
from egovpm.budgets.models import (
    Adjustment,
    Baseline,
    BaselineLine,
    Estimate,
    EstimateLine,
    Expenditure,
)
from egovpm.core import clock
from egovpm.projects import policies
from egovpm.projects.facts import Horizons
from egovpm.projects.models import Project

ZERO = Decimal(0)
RATE = Decimal("0.0001")


@dataclass(frozen=True)
class LineState:
    """One sub-project as of a date: its amount in the baseline then in force (None when the line
    came later) and its effective amount."""

    code: str
    name: str
    baseline_amount: Decimal | None
    current_amount: Decimal


@dataclass(frozen=True)
class EstimateState:
    baseline: Baseline | None
    total: Decimal  # B once approved; the draft total before
    lines: tuple[LineState, ...]
    cumulative_moved: Decimal  # self-approved moves since the baseline


def estimate_of(project: Project) -> Estimate | None:
    return Estimate.objects.filter(project=project).select_related("baseline").first()


def estimate_state(*, project: Project, as_of: dt.date | None = None) -> EstimateState | None:
    """The estimate as it stood at the end of `as_of` (today when None): the baseline then in force
    and, on top of it, the self-approved adjustments decided since (an NDRC approval is itself a
    baseline). Before approval, the draft. None when the project has no estimate yet."""
    return estimate_states(projects=[project], as_of=as_of)[project.pk]


def estimate_states(
    *, projects: Sequence[Project], as_of: dt.date | None = None, horizons: Horizons | None = None
) -> dict[Any, EstimateState | None]:
    """`estimate_state` of many projects at once, keyed by pk, in a fixed number of queries (at
    most six). `horizons`, when given, sees each estimate's creation (Beijing date) and each
    baseline's approval date."""
    day = as_of or clock.today()
    # project pk -> (estimate pk, total, approved once, created on)
    estimates = {
        pk: (estimate_pk, total, baseline_id is not None, created_at.astimezone(clock.BEIJING).date())
        for pk, estimate_pk, total, baseline_id, created_at in Estimate.objects.filter(
            project_id__any_of=[p.pk for p in projects]
        ).values_list("project_id", "pk", "total", "baseline_id", "created_at")
    }
    baselines: dict[Any, list[Baseline]] = defaultdict(list)
    approved = [pk for pk, e in estimates.items() if e[2]]
    if approved:
        for b in Baseline.objects.filter(project_id__any_of=approved).order_by("project_id", "seq"):
            baselines[b.project_id].append(b)
    in_force: dict[Any, Baseline] = {}
    first: dict[Any, Baseline] = {}  # approved only after as_of: judged as it was first approved
    drafts: dict[Any, tuple[Any, Decimal]] = {}  # project pk -> (estimate pk, total)
    for pk, (estimate_pk, total, _approved, created_on) in estimates.items():
        if horizons is not None:
            horizons.see(pk, created_on, *(b.approved_on for b in baselines.get(pk, ())))
        by_then = [b for b in baselines.get(pk, ()) if b.approved_on <= day]
        if by_then:
            in_force[pk] = by_then[-1]
        elif as_of is not None and created_on > as_of:
            continue  # not entered yet on that date
        elif as_of is not None and baselines.get(pk):
            first[pk] = baselines[pk][0]
        else:
            drafts[pk] = (estimate_pk, total)
    lines = _lines(BaselineLine, "baseline_id", [b.pk for b in [*in_force.values(), *first.values()]])
    draft_lines = _lines(EstimateLine, "estimate_id", [e for e, _total in drafts.values()])
    moves = _self_approvals(list(in_force.values()), day)
    out: dict[Any, EstimateState | None] = {p.pk: None for p in projects}
    for pk, b in first.items():
        out[pk] = EstimateState(None, b.total, _draft(lines[b.pk]), ZERO)
    for pk, (estimate_pk, total) in drafts.items():
        out[pk] = EstimateState(None, total, _draft(draft_lines[estimate_pk]), ZERO)
    for pk, b in in_force.items():
        out[pk] = _with_self_approvals(b, lines[b.pk], moves.get(b.pk, ()))
    return out


Line = tuple[str, str, Decimal]  # code, name, amount


def _lines(model: type[BaselineLine | EstimateLine], parent: str, parents: list[Any]) -> dict[Any, list[Line]]:
    """The lines of each parent (a baseline or an estimate), in their order."""
    out: dict[Any, list[Line]] = defaultdict(list)
    if parents:
        rows = (
            model._default_manager.filter(**{f"{parent}__in": parents})
            .order_by(parent, "position", "code")
            .values_list(parent, "code", "name", "amount")
        )
        for owner, code, name, amount in rows:
            out[owner].append((code, name, amount))
    return out


def _draft(lines: list[Line]) -> tuple[LineState, ...]:
    return tuple(LineState(code, name, None, amount) for code, name, amount in lines)


def _self_approvals(baselines: list[Baseline], day: dt.date) -> dict[Any, list[Adjustment]]:
    """Per baseline pk, the self-approved adjustments counted against it decided on or before
    `day`, in decision order, their items prefetched."""
    out: dict[Any, list[Adjustment]] = defaultdict(list)
    if baselines:
        approvals = (
            Adjustment.objects.filter(
                decided_baseline_id__in=[b.pk for b in baselines],
                status=AdjustmentStatus.APPROVED,
                route=Route.SELF_APPROVAL,
                decided_on__lte=day,
            )
            .order_by("decided_at", "number")
            .prefetch_related("items")
        )
        for adjustment in approvals:
            out[adjustment.decided_baseline_id].append(adjustment)
    return out


def _with_self_approvals(baseline: Baseline, base_lines: list[Line], approvals: Sequence[Adjustment]) -> EstimateState:
    current: dict[str, tuple[str, Decimal]] = {code: (name, amount) for code, name, amount in base_lines}
    moved = ZERO
    for adjustment in approvals:
        moved += adjustment.moved
        for item in adjustment.items.all():
            current[item.code] = (item.name, item.new_amount)
    base = {code: amount for code, _name, amount in base_lines}
    lines = tuple(LineState(code, name, base.get(code), amount) for code, (name, amount) in current.items())
    return EstimateState(baseline, baseline.total, lines, moved)


def _rate(spent: Decimal, current: Decimal) -> Decimal | None:
    if current == 0:
        return None
    return (spent / current).quantize(RATE, rounding=ROUND_HALF_UP)


def spent_by_line(*, project: Project, as_of: dt.date | None = None) -> dict[str, Decimal]:
    return spent_by_lines(projects=[project], as_of=as_of)[project.pk]


def spent_by_lines(
    *, projects: Sequence[Project], as_of: dt.date | None = None, horizons: Horizons | None = None
) -> dict[Any, dict[str, Decimal]]:
    """Per project pk, the spending dated on or before `as_of` (all of it when None) by line code,
    in one query. `horizons`, when given with `as_of`, sees each line's first spending after it."""
    qs = Expenditure.objects.filter(project_id__any_of=[p.pk for p in projects])
    sums: dict[str, Any] = {"total": Sum("amount")}
    if as_of is not None:
        sums = {
            "total": Sum("amount", filter=Q(spent_on__lte=as_of)),
            "ahead": Min("spent_on", filter=Q(spent_on__gt=as_of)),
        }
    out: dict[Any, dict[str, Decimal]] = {p.pk: {} for p in projects}
    rows = cast(Iterable[dict[str, Any]], qs.values("project_id", "line__code").annotate(**sums).order_by())
    for row in rows:
        if horizons is not None:
            horizons.see(row["project_id"], row.get("ahead"))
        if row["total"] is not None:
            out[row["project_id"]][row["line__code"]] = row["total"]
    return out


_UNSET: Any = object()


def budget_execution(*, project: Project, as_of: dt.date | None = None, state: Any = _UNSET) -> dict[str, Any]:
    """概预算执行 of one project: per sub-project the amount in the baseline in force (0 for a
    line added after it; None before the preliminary design is approved), the effective amount,
    the spending dated on or before `as_of` (all of it when None) and spent / current quantized
    to 0.0001 (None when current is 0). Amounts are those in force at the end of `as_of`.

    {"items": [{"code","name","baseline_amount","current_amount","spent","execution_rate"}, ...],
     "total_baseline", "total_current", "total_spent", "execution_rate"} — Decimals throughout;
    total_baseline is None before the preliminary design is approved; no estimate → no items.
    `state`: the caller's estimate_state(project=project, as_of=as_of), when it has it already."""
    if state is _UNSET:
        state = estimate_state(project=project, as_of=as_of)
    spent = spent_by_line(project=project, as_of=as_of)
    items: list[dict[str, Any]] = []
    total_current = total_spent = ZERO
    if state is not None:
        for line in state.lines:
            s = spent.get(line.code, ZERO)
            total_current += line.current_amount
            total_spent += s
            items.append(
                {
                    "code": line.code,
                    "name": line.name,
                    "baseline_amount": (line.baseline_amount or ZERO) if state.baseline is not None else None,
                    "current_amount": line.current_amount,
                    "spent": s,
                    "execution_rate": _rate(s, line.current_amount),
                }
            )
    return {
        "items": items,
        "total_baseline": state.total if state is not None and state.baseline is not None else None,
        "total_current": total_current,
        "total_spent": total_spent,
        "execution_rate": _rate(total_spent, total_current),
    }


def adjustment_list(*, project: Project, params: dict[str, Any] | None = None) -> QuerySet[Adjustment]:
    """The project's adjustment requests, newest first, filtered by `params` (budgets/filters.py)."""
    qs = (
        Adjustment.objects.filter(project=project)
        .select_related("requested_by", "decided_by")
        .only(*_ADJUSTMENT_COLUMNS)
        .prefetch_related("items")
    )
    return filters.apply(qs, params).order_by("-number")


def _columns(model: type[Baseline | Expenditure | Adjustment]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def _names(who: str) -> tuple[str, str]:
    """What the tab and the API show of a user a record names (User.label: display name, else
    username) — not every column of the user."""
    return (f"{who}__username", f"{who}__display_name")


# What the tab and the API (budgets.api.AdjustmentOut) read of a request: its own columns and the
# names of who requested and decided it — not every column of four users and a document.
_ADJUSTMENT_COLUMNS = (*_columns(Adjustment), *_names("requested_by"), *_names("decided_by"))
_BASELINE_COLUMNS = (*_columns(Baseline), "adjustment__number")  # of its adjustment only the number is shown
_EXPENDITURE_COLUMNS = (*_columns(Expenditure), "line__code", "line__name", *_names("recorded_by"))


def adjustment_for(*, user: User, adjustment_id: Any, for_update: bool = False) -> Adjustment:
    """An adjustment whose project the user may see, else NotFound (existence does not leak)."""
    import uuid

    from egovpm.budgets.errors import BudgetError
    from egovpm.core.errors import NotFound

    try:
        pk = uuid.UUID(str(adjustment_id))
    except ValueError:
        raise NotFound(BudgetError.ADJUSTMENT_NOT_FOUND) from None
    qs = Adjustment.objects.filter(pk=pk, project__in=policies.restrict(user)).select_related(
        "project", "project__lead_department"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    adjustment = qs.first()
    if adjustment is None:
        raise NotFound(BudgetError.ADJUSTMENT_NOT_FOUND)
    return adjustment


def baselines(*, project: Project) -> QuerySet[Baseline]:
    return (
        Baseline.objects.filter(project=project)
        .prefetch_related("lines")
        .select_related("adjustment")
        .only(*_BASELINE_COLUMNS)
    )


def expenditure_list(*, project: Project) -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(project=project)
        .select_related("line", "recorded_by")
        .only(*_EXPENDITURE_COLUMNS)
        .order_by("-spent_on", "-recorded_at")
    )


def in_scope(qs: QuerySet[Adjustment], user: User) -> QuerySet[Adjustment]:
    """`qs` narrowed to the adjustments of the projects `user` may see (projects.policies), the
    scope written on the adjustment itself: nothing for a user who sees every project (NDRC, MOF:
    every adjustment has a project), else `project_id IN (one indexed subquery per part)` — the
    parts' OR inside one `project_id IN (SELECT id FROM projects WHERE lead = d OR id IN …)` made
    PostgreSQL scan all 100,000 projects for a department's 80 adjustments (70 ms a count; with
    the index project_lead_id of migration 0003, 1 ms)."""
    conditions = policies.scope_conditions(user)
    if conditions is None:
        return qs
    return qs.filter(functools.reduce(operator.or_, map(_on_project_id, conditions), Q(pk__in=[])))


def _on_project_id(condition: Q) -> Q:
    """A condition on Project as one on a record's project_id: `pk IN (subquery)` is `project_id IN
    (subquery)` (no lookup of each project), any other `project_id IN (the projects matching it)`."""
    if len(condition.children) == 1 and not condition.negated:
        lookup, value = condition.children[0] if isinstance(condition.children[0], tuple) else ("", None)
        if lookup == "pk__in":
            return Q(project_id__in=value)
    return Q(project_id__in=Project.objects.filter(condition).values("pk"))


# the oldest first; a tie (one instant) in the order of the requests' numbers
QUEUE_ORDER = {
    "ndrc_pending": ("requested_at", "project_id", "number"),
    "self_pending": ("requested_at", "project_id", "number"),
    "unfiled": ("decided_at", "project_id", "number"),
    "unacknowledged": ("filed_at", "project_id", "number"),
}


# What the queue page, its export and 待办 show of a row: the adjustment's figures and dates, the
# project's name and code, its lead department (the long texts of either are not read).
QUEUE_COLUMNS = (
    "id",
    "project_id",
    "number",
    "status",
    "route",
    "moved",
    "ratio",
    "cumulative_ratio",
    "failed",
    "requested_at",
    "decided_at",
    "decided_on",
    "filed_on",
    "filed_at",
    "acknowledged_at",
    "project__id",
    "project__code",
    "project__name",
    "project__stage",
    "project__regime",
    "project__lead_department_id",
    "project__lead_department__id",
    "project__lead_department__code",
    "project__lead_department__name",
)


def ndrc_queue(*, user: User, params: dict[str, Any] | None = None) -> dict[str, QuerySet[Adjustment]]:
    """Across the user's projects: NDRC-route requests waiting for a decision, self-approvals
    waiting for the department's leader, approved self-approvals not yet filed, and filings not yet
    acknowledged — filtered by `params` (budgets/filters.py: route, lead department). Unevaluated
    querysets, the oldest first (QUEUE_ORDER): the page pages each one (a national queue holds
    thousands); each is answered by a partial index of its own."""
    base = filters.apply(
        in_scope(Adjustment.objects.all(), user)
        .select_related("project", "project__lead_department")
        .only(*QUEUE_COLUMNS),
        params,
    )
    parts = {
        "ndrc_pending": base.filter(status=AdjustmentStatus.PENDING, route=Route.NDRC_APPROVAL),
        "self_pending": base.filter(status=AdjustmentStatus.PENDING, route=Route.SELF_APPROVAL),
        "unfiled": base.filter(status=AdjustmentStatus.APPROVED, route=Route.SELF_APPROVAL, filed_on__isnull=True),
        "unacknowledged": base.filter(filed_on__isnull=False, acknowledged_at__isnull=True),
    }
    return {key: qs.order_by(*QUEUE_ORDER[key]) for key, qs in parts.items()}


def inbox_queues(*, user: User) -> dict[str, QuerySet[Adjustment]]:
    """待办 of the budgets app, as querysets the caller bounds (the oldest first): the requests this
    user decides (NDRC: the NDRC route; the lead department's leader: its self-approvals), the
    self-approvals their department must file with NDRC, and (NDRC) the filings to acknowledge —
    budgets.policies.may_decide / may_file / may_acknowledge of each row, as filters. A list the
    user has no part in is empty without a query (nor a queryset built for it)."""
    from egovpm.accounts.choices import Role

    ndrc = user.has_role(Role.NDRC_OFFICER)
    own = (
        Q(project_id__in=Project.objects.filter(lead_department_id=user.department_id).values("pk"))
        if user.department_id
        else None
    )
    decide: Q | None = Q(route=Route.NDRC_APPROVAL) if ndrc else None
    if own is not None and user.has_role(Role.DEPT_LEADER):
        mine = Q(route=Route.SELF_APPROVAL) & own
        decide = mine if decide is None else decide | mine
    files = own is not None and user.has_role(*policies.DEPT_ROLES)
    none = Adjustment.objects.none()
    if (decide is None and not files and not ndrc) or not user.is_active:
        return {"decide": none, "file": none, "acknowledge": none}
    # Outside NDRC every list is of the department's own projects (`own`), which its staff and
    # leaders always see (projects.policies: lead OR participation): the scope need not be repeated
    # — its OR made PostgreSQL scan every project (66 ms at 20,000 projects for 16 rows).
    scoped = in_scope(Adjustment.objects.all(), user) if ndrc else Adjustment.objects.all()
    base = scoped.select_related("project", "project__lead_department").only(*QUEUE_COLUMNS)
    return {
        "decide": none
        if decide is None
        else base.filter(decide, status=AdjustmentStatus.PENDING).order_by(*QUEUE_ORDER["ndrc_pending"]),
        "file": base.filter(
            own, status=AdjustmentStatus.APPROVED, route=Route.SELF_APPROVAL, filed_on__isnull=True
        ).order_by(*QUEUE_ORDER["unfiled"])
        if files
        else none,
        "acknowledge": base.filter(filed_on__isnull=False, acknowledged_at__isnull=True).order_by(
            *QUEUE_ORDER["unacknowledged"]
        )
        if ndrc
        else none,
    }


def lines_changed_since(*, estimate: Estimate, codes: list[str], version: int) -> list[str]:
    """Codes among `codes` that an approved adjustment changed after estimate version `version`."""
    return list(
        EstimateLine.objects.filter(estimate=estimate, code__in=codes, changed_version__gt=version)
        .order_by("code")
        .values_list("code", flat=True)
    )


MONEY_KINDS = ("baseline", "current", "spent")


def money_by_department(projects: QuerySet[Project] | None = None) -> dict[int, dict[str, Decimal]]:
    """lead department id → {kind: amount} over `projects` (None: every project), for the kinds
    that have records there: `baseline` the approved estimates' totals (an estimate's total is its
    current baseline's once it has one), `current` the estimate lines' amounts, `spent` the
    recorded expenditures — the cockpit's investment figures (docs/portfolio.md).

    On PostgreSQL one query of `budgets_money`, each project's sums kept by triggers
    (migration 0004); elsewhere (SQLite) three sums over the records, the same answer."""
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT lead_department_id, sum(baselined), sum(baseline), sum(lines), sum(current), sum(spendings), "
            "sum(spent) FROM budgets_money"
        )
        params: tuple[Any, ...] = ()
        if projects is not None:
            inner, params = projects.order_by().values("pk").query.sql_with_params()
            sql += f" WHERE project_id IN ({inner})"
        with connection.cursor() as cursor:
            cursor.execute(sql + " GROUP BY lead_department_id", params)
            for department, *pairs in cursor.fetchall():
                for kind, n, amount in zip(MONEY_KINDS, pairs[::2], pairs[1::2], strict=True):
                    if n:
                        out[department][kind] = Decimal(amount)
        return dict(out)
    return money_from_records(projects)


def money_from_records(projects: QuerySet[Project] | None = None) -> dict[int, dict[str, Decimal]]:
    """money_by_department summed over the records themselves: three queries (SQLite's way; on
    PostgreSQL what the kept sums must equal)."""
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for kind, qs, project, amount in (
        ("baseline", Estimate.objects.filter(baseline__isnull=False), "project", "total"),
        ("current", EstimateLine.objects.all(), "estimate__project", "amount"),
        ("spent", Expenditure.objects.all(), "project", "amount"),
    ):
        if projects is not None:
            qs = qs.filter(**{f"{project}__in": projects.order_by().values("pk")})
        rows = qs.values_list(f"{project}__lead_department_id").annotate(s=Sum(amount)).order_by()
        for department, total in rows:
            if total is not None:
                out[department][kind] = total
    return dict(out)
