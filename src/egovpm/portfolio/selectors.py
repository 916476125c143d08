"""The portfolio's figures (domain.md §13, api.md "Department record and portfolio"): the cockpit
(驾驶舱) and `GET /portfolio/summary` read them here; docs/portfolio.md defines each figure.

Two paths, one answer shape:

- **Today** (no `as_of`, or today's date): aggregate queries over the stored rows — the projects
  GROUP BY (lead department, stage, year) with the stored verdicts' health joined, the sums of the
  estimates and the spending, the stored report obligations (ADR 0015), the stored rule failures
  (ADR 0013) — after `compliance.selectors.ensure_fresh` on the scope. A fixed number of queries
  whatever the size of the portfolio (tests/portfolio/test_summary.py pins it at 2 and 20 projects).
- **Another date**: computed from the records dated on or before it (stage from the stage events,
  investment from the baselines, self-approvals and spending, health and failing rules from the
  full evaluation, reports from the submissions) for the projects that existed then — refused
  (400 `portfolio_past_as_of_too_wide`) beyond PAST_AS_OF_MAX_PROJECTS projects in scope: the
  stored verdicts and obligations are today's only.

Every figure is scoped by `projects.policies.restrict(user, "view")` before anything is counted:
a department sees its own projects (lead or participating), NDRC and MoF all of them."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length, Substr

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.budgets.choices import AdjustmentStatus, Route
from egovpm.budgets.models import Adjustment
from egovpm.budgets.selectors import estimate_states, money_by_department, spent_by_lines
from egovpm.compliance import selectors as compliance
from egovpm.compliance.models import ProjectVerdict, RuleFailure
from egovpm.compliance.services import evaluation
from egovpm.compliance.stamp import records_stamp
from egovpm.core import clock
from egovpm.core.errors import FieldError, InvalidInput
from egovpm.portfolio import figures
from egovpm.portfolio.errors import PortfolioError
from egovpm.portfolio.health import Disagreement, disagrees, worst_first
from egovpm.procurement.models import DeliveryMode
from egovpm.projects import policies
from egovpm.projects.choices import Stage
from egovpm.projects.facts import project_facts_batch
from egovpm.projects.filters import YEARS, dated_ids, department_parts, year_q
from egovpm.projects.models import Project, StageEvent
from egovpm.reports.choices import SelfAssessment
from egovpm.reports.models import ReportObligation, ReportSubmission
from egovpm.reports.obligations import bucket_of
from egovpm.rules import engine
from egovpm.rules import facts_reports as fr

# A date other than today is computed from the records of every project in scope: at most this
# many (the reports portfolio's bound, reports.selectors.PAST_AS_OF_MAX_PROJECTS).
PAST_AS_OF_MAX_PROJECTS = 2000
CACHE_SECONDS = 300
DISAGREEMENTS_SHOWN = 20
COCKPIT_ROLES = (Role.NDRC_OFFICER, Role.MOF_VIEWER, Role.DEPT_STAFF, Role.DEPT_LEADER)
HEALTH = ("red", "amber", "green")
CLAUSES = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一")
CENT = Decimal("0.01")
ZERO = Decimal(0)


def may_view(user: User) -> bool:
    """NDRC and MoF see the whole portfolio, a department's staff and leaders their own."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*COCKPIT_ROLES)


def is_whole_portfolio_reader(user: User) -> bool:
    """NDRC and MoF: the cockpit is their home (web: the landing page after signing in)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*policies.READ_ALL_ROLES)


@dataclass(frozen=True)
class Filters:
    """The cockpit's filters, validated: the project list's `department` and `stage` (same
    meaning: lead or participating department; stage codes, comma-separated) and `year`: the year
    of the project's code (YYYY-…, domain.md §9: the year the code was issued, by this system at
    creation or by the national platform) — the list's `year=` too."""

    department: str = ""
    stages: tuple[str, ...] = ()
    year: int | None = None

    @classmethod
    def parse(cls, department: str = "", stage: str = "", year: Any = None) -> Filters:
        stages = tuple(s for s in (stage or "").split(",") if s)
        unknown = [s for s in stages if s not in Stage.values]
        if unknown:
            raise InvalidInput(fields={"stage": FieldError(PortfolioError.STAGE_INVALID, {"value": unknown[0]})})
        return cls(department=(department or "").strip(), stages=stages, year=parse_year(year))

    def query(self) -> dict[str, str]:
        """The project list's query parameters for these filters (the drill-down)."""
        out = {"department": self.department, "stage": ",".join(self.stages)}
        if self.year is not None:
            out["year"] = str(self.year)
        return {k: v for k, v in out.items() if v}


def parse_year(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or not YEARS[0] <= int(text) <= YEARS[1]:
        raise InvalidInput(fields={"year": FieldError(PortfolioError.YEAR_INVALID)})
    return int(text)


def scoped_projects(user: User, filters: Filters) -> QuerySet[Project]:
    """The projects of the user's scope that the department and year filters select (the stage
    filter depends on the date: applied by each path).

    A department's scope (lead OR participating) is the UNION ALL of its disjoint parts
    (policies.scope_parts), each found through its own index: PostgreSQL estimates the OR of
    `lead = d` and a hashed subquery at half the portfolio and hashes every row of each table
    summed over it; the parts it estimates right, and reads a department's rows by their indexes."""
    parts = policies.scope_parts(user, "view")
    qs = Project.objects.all()
    if parts is not None:
        subsets = [Project.objects.filter(part).order_by().values("pk") for part in parts]
        if len(subsets) > 1:
            qs = qs.filter(pk__in=subsets[0].union(*subsets[1:], all=True))
        elif subsets:
            qs = qs.filter(pk__in=subsets[0])
        else:  # nothing in scope, as policies.restrict answers
            qs = qs.filter(pk__in=[])
    if filters.department:
        qs = qs.filter(functools.reduce(operator.or_, department_parts(filters.department)))
    if filters.year is not None:
        qs = qs.filter(year_q(filters.year))
    return qs


@dataclass
class Tally:
    """The figures as they are added up, by either path."""

    by_stage: Counter[str] = field(default_factory=Counter)
    by_department: Counter[str] = field(default_factory=Counter)
    by_year: Counter[int] = field(default_factory=Counter)
    health: Counter[str] = field(default_factory=Counter)
    delivery: Counter[str] = field(default_factory=Counter)
    money: dict[str, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    reports: Counter[str] = field(default_factory=Counter)
    report_projects: Counter[str] = field(default_factory=Counter)  # due | overdue | late → projects
    rules: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)  # worst first, at most DISAGREEMENTS_SHOWN
    disagreement_count: int = 0

    def add_money(self, kind: str, department: str, amount: Decimal | None) -> None:
        if amount is not None:
            self.money[department][kind] = self.money[department].get(kind, ZERO) + amount


def scope_key(user: User) -> str:
    """What a cached figure of `user` may be shared under: "all" for the readers of the whole
    portfolio (NDRC, MoF), else the user's own (a department's figures are never shared)."""
    return "all" if policies.scope_q(user, "view") is None else f"user{user.pk}"


def summary(
    *, user: User, as_of: dt.date | None = None, department: str = "", stage: str = "", year: Any = None
) -> dict[str, Any]:
    """The cockpit's figures for `user` (docs/portfolio.md). Forbidden to anyone but NDRC, MoF and
    a department's staff and leaders; a bad filter is a 400 naming it.

    Cached (Django's cache, CACHE_SECONDS) under the scope (everything for NDRC and MoF, else the
    user), the filters, the dates and records_stamp(): an answer is reused only while no record
    has changed, so it is never older than the records in any worker."""
    policies.require(may_view(user), PortfolioError.COCKPIT_ROLES_ONLY)
    filters = Filters.parse(department, stage, year)
    today = clock.today()
    day = as_of or today
    scope = scope_key(user)
    key = ":".join(
        (
            "portfolio:summary",
            scope,
            repr(filters),
            today.isoformat(),
            day.isoformat(),
            records_stamp(),
        )
    )
    key = "portfolio:summary:" + hashlib.sha256(key.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        return dict(hit)
    data = _summary(user, filters, today, day, scope == "all")
    cache.set(key, data, CACHE_SECONDS)
    return data


def _summary(user: User, filters: Filters, today: dt.date, day: dt.date, whole_scope: bool) -> dict[str, Any]:
    scope = scoped_projects(user, filters)
    if day == today:
        whole = whole_scope and not filters.department and filters.year is None
        tally, selected = _today(scope, filters, whole)
    else:
        tally, selected = _past(scope, filters, day)
    rules = dict(sorted(tally.rules.items(), key=lambda kv: _rule_order(kv[0])))
    requests, adjusted = adjustment_figures(selected, day)
    return {
        "as_of": day,
        "today": day == today,
        "filters": filters,
        "projects": {
            "total": sum(tally.by_stage.values()),
            "by_stage": {s: tally.by_stage[s] for s in Stage.values if s in tally.by_stage or not filters.stages},
            "by_department": dict(sorted(tally.by_department.items())),
            "by_year": {str(y): n for y, n in sorted(tally.by_year.items())},
        },
        "departments": dict(sorted(tally.names.items())),
        "investment": _investment(tally.money),
        "reports": {k: tally.reports[k] for k in ("due", "overdue", "late")},
        **figures.pending_figures(selected, day, day == today),
        "adjustments": requests,
        # the figures that count records (obligations, requests, evaluations) and the number of
        # projects behind each: the rows of its drill-down (docs/portfolio.md "Drill-down")
        "projects_behind": {
            "reports": {k: tally.report_projects[k] for k in ("due", "overdue", "late")},
            "adjustments": adjusted,
            "post_evaluations": evaluated_projects(selected, day),
            "rectifications": rectified_projects(selected, day),
        },
        "rules_failing": rules,
        "rules_by_clause": _by_clause(rules),
        "health": {h: tally.health[h] for h in HEALTH},
        "health_disagreements": tally.disagreement_count,
        "disagreements": [
            {"code": d.code, "name": d.name, "health": d.health, "bad": d.bad, "warn": d.warn}
            for d in tally.disagreements
        ],
        "delivery_modes": {k: tally.delivery[k] for k in ("service_outsourcing", "data_hosting")},
    }


def _amount(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _investment(money: Mapping[str, Mapping[str, Decimal]]) -> dict[str, Any]:
    kinds = ("baseline", "current", "spent")
    totals = {k: sum((m.get(k, ZERO) for m in money.values()), ZERO) for k in kinds}
    return {
        **{k: _amount(v) for k, v in totals.items()},
        "by_department": {code: {k: _amount(m.get(k, ZERO)) for k in kinds} for code, m in sorted(money.items())},
    }


@functools.cache
def _rule_clauses() -> dict[str, str]:
    return {
        r.id: r.clause for path in sorted(engine.PACK_DIR.glob("*.yaml")) for r in engine.load_pack(path.stem).rules
    }


def _rule_order(rule: str) -> tuple[int, str]:
    clause = _rule_clauses().get(rule, "")
    return (CLAUSES.index(clause) if clause in CLAUSES else len(CLAUSES), rule)


def _by_clause(rules: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """Every clause 一 … 十一 in order: its failing rules and how many failures (a project failing
    two rules of a clause counts twice — the bar is failures, each rule links to its projects)."""
    out: dict[str, dict[str, Any]] = {c: {"failures": 0, "rules": {}} for c in CLAUSES}
    for rule, n in rules.items():
        clause = _rule_clauses().get(rule, "")
        if clause in out:
            out[clause]["failures"] += n
            out[clause]["rules"][rule] = n
    return out


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day` ends in Beijing."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), clock.BEIJING)


def dated_adjustments(day: dt.date) -> QuerySet[Any]:  # annotated with `state`
    """The budget adjustment requests made by the end of `day`, each with its `state` then: one
    decided after it was pending then (its route is the latest computed: a re-route is not dated
    apart)."""
    end = end_of(day)
    return Adjustment.objects.filter(requested_at__lt=end).annotate(
        state=Case(When(decided_at__gte=end, then=Value(AdjustmentStatus.PENDING.value)), default=F("status"))
    )


def adjustments(projects: QuerySet[Project], day: dt.date) -> dict[str, dict[str, int]]:
    """Budget adjustment requests by route and state made by the end of `day` (the department
    record's figure)."""
    return adjustment_figures(projects, day)[0]


def adjustment_figures(
    projects: QuerySet[Project], day: dt.date
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Budget adjustment requests by route and state (domain.md §13), one GROUP BY: how many
    requests, and how many projects have at least one (the drill-down `adjustment=route:state`
    lists those projects)."""
    requests = {r: dict.fromkeys(AdjustmentStatus.values, 0) for r in Route.values}
    behind = {r: dict.fromkeys(AdjustmentStatus.values, 0) for r in Route.values}
    rows = (
        within(dated_adjustments(day), projects)
        .values_list("route", "state")
        .annotate(n=Count("pk"), p=Count("project", distinct=True))
        .order_by()
    )
    for route, state, n, p in rows:
        requests[route][state] += n
        behind[route][state] += p
    return requests, behind


def rectified_projects(projects: QuerySet[Project], day: dt.date) -> dict[str, int] | None:
    """open / overdue → the projects with at least one rectification item so on `day` (the
    drill-down `rectification=`); None when inspections are not recorded. One query."""
    if not figures.recorded("rectifications"):
        return None
    from egovpm.inspections.selectors import rectification_projects

    return rectification_projects(projects, day)


def _evaluations(day: dt.date) -> QuerySet[Any]:
    """The post-evaluations dated on or before `day` (evaluations.PostEvaluation)."""
    from egovpm.evaluations.models import PostEvaluation

    return PostEvaluation.objects.filter(evaluated_on__lte=day)


def evaluated_projects(projects: QuerySet[Project], day: dt.date) -> dict[str, int] | None:
    """Conclusion → the projects with at least one post-evaluation so concluded by `day` (the
    drill-down `post_evaluation=`); None when evaluations are not recorded. One query."""
    if not figures.recorded("post_evaluations"):
        return None
    from egovpm.evaluations.choices import Conclusion

    rows = dict(
        within(_evaluations(day), projects)
        .values_list("conclusion")
        .annotate(n=Count("project", distinct=True))
        .order_by()
    )
    return {c: int(rows.get(c, 0)) for c in Conclusion.values}


# --- today: the stored rows ------------------------------------------------------------------------


def every_project(projects: QuerySet[Any]) -> bool:
    """Whether `projects` is every project (an unfiltered queryset of Project)."""
    return projects.model is Project and not projects.query.where


def within(rows: QuerySet[Any], projects: QuerySet[Project], field: str = "project") -> QuerySet[Any]:
    """`rows` (of a model with a foreign key to Project at `field`) of `projects` — all of them when
    `projects` is every project (an unfiltered queryset: NDRC's and MoF's whole portfolio), so
    that PostgreSQL reads the table alone instead of hashing 100,000 projects to join them."""
    if every_project(projects):
        return rows
    return rows.filter(**{f"{field}__in": projects.values("pk")})


def _today(scope: QuerySet[Project], filters: Filters, whole: bool) -> tuple[Tally, QuerySet[Project]]:
    """One GROUP BY per table, each over that table's own rows of the scope (no join of the
    projects with their verdicts, delivery modes, estimates … — each multiplies the rows the next
    aggregates), added up here: a fixed number of queries, none per project."""
    compliance.ensure_fresh(None if whole else scope)
    if filters.stages:
        scope = scope.filter(stage__in=filters.stages)
    tally = Tally()
    # the projects by stage, lead department and code year: for every project three counts, each
    # answered by an index alone (stage; lead department; code), not the 44 MB of rows; for a part
    # of them (a department's scope is an OR that no index answers) one scan grouped by all three
    projects = scope.order_by()
    by_department: Counter[int] = Counter()
    if every_project(projects):
        tally.by_stage.update(dict(projects.values_list("stage").annotate(n=Count("*"))))
        by_department.update(dict(projects.values_list("lead_department_id").annotate(n=Count("*"))))
        years = projects.annotate(y=Substr("code", 1, 4)).values_list("y").annotate(n=Count("*"))
        tally.by_year.update({int(y): n for y, n in years})
    else:
        grouped = projects.annotate(y=Substr("code", 1, 4)).values_list("lead_department_id", "stage", "y")
        for department, stage, year, n in grouped.annotate(n=Count("*")):
            by_department[department] += n
            tally.by_stage[stage] += n
            tally.by_year[int(year)] += n
    departments: dict[int, str] = {}
    for pk, code, name in Department.objects.filter(pk__in=by_department).values_list("pk", "code", "name"):
        departments[pk], tally.names[code] = code, name
    tally.by_department.update({departments[pk]: n for pk, n in by_department.items()})
    # the stored verdicts' health (a project without a verdict row counts in no colour); COUNT(*)
    # is answered by the index on health alone
    tally.health.update(
        dict(within(ProjectVerdict.objects.all(), scope).values_list("health").annotate(n=Count("*")).order_by())
    )
    # the projects with a recorded delivery mode of each kind (procurement.DeliveryMode, issue 11)
    tally.delivery.update(
        dict(
            within(DeliveryMode.objects.all(), scope)
            .filter(mode__in=("service_outsourcing", "data_hosting"))
            .values_list("mode")
            .annotate(n=Count("project", distinct=True))
            .order_by()
        )
    )
    # the approved baselines, the current estimate lines, the recorded spending by lead department:
    # each project's sums kept by PostgreSQL (budgets migration 0004), one query
    for pk, kinds in money_by_department(None if every_project(scope) else scope).items():
        for kind, total in kinds.items():
            tally.add_money(kind, departments[pk], total)
    # the stored obligations (ADR 0015) of the three counted buckets only (not the many on time),
    # from the index on (bucket, project) alone; the rule failures from theirs on (rule, project)
    buckets = {"due": "pending", "overdue": "overdue", "late": "late"}
    counted = (
        within(ReportObligation.objects.all(), scope)
        .filter(bucket__in=buckets.values())
        .aggregate(
            **{k: Count("bucket", filter=Q(bucket=b)) for k, b in buckets.items()},
            **{f"{k}_projects": Count("project", distinct=True, filter=Q(bucket=b)) for k, b in buckets.items()},
        )
    )
    for k in buckets:
        tally.reports[k] = counted[k]
        tally.report_projects[k] = counted[f"{k}_projects"]
    tally.rules.update(
        dict(within(RuleFailure.objects.all(), scope).values_list("rule").annotate(n=Count("*")).order_by())
    )
    _today_disagreements(tally, scope)
    return tally, scope


def _latest_self_assessment(before: dt.datetime | None = None) -> Subquery:
    """The self-assessment of the project's latest report that carries one — the report of its
    latest period, its latest version — among those submitted before `before` when given: a
    subquery on the outer project."""
    reports = ReportSubmission.objects.filter(project=OuterRef("pk")).exclude(self_assessment="")
    if before is not None:
        reports = reports.filter(submitted_at__lt=before)
    # the latest period first (a year's annual report after its half-year one: "2025" after
    # "2025-H1"), then its latest version
    latest = (Substr("period", 1, 4).desc(), Length("period").asc(), F("version").desc())
    return Subquery(reports.order_by(*latest).values("self_assessment")[:1])


def _today_disagreements(tally: Tally, scope: QuerySet[Project]) -> None:
    """Red or amber projects (stored verdict) whose latest self-assessment is on track: the count,
    and the worst DISAGREEMENTS_SHOWN of them (red first, more failures first) — two queries."""
    # only a project with an on-track self-assessment among its reports can have its latest one on
    # track: the latest is looked up for those (portfolio migration 0001 indexes the self-assessed
    # reports), not for every red or amber project of the portfolio
    candidates = ReportSubmission.objects.filter(self_assessment=SelfAssessment.ON_TRACK).values("project_id")
    flagged = (
        scope.filter(verdict__health__in=("red", "amber"), pk__in=candidates)
        .annotate(assessed=_latest_self_assessment())
        .filter(assessed="on_track")
    )
    tally.disagreement_count = flagged.order_by().count()
    rows = flagged.order_by("-verdict__health", "-verdict__bad", "-verdict__warn", "code").values_list(
        "code", "name", "verdict__health", "verdict__bad", "verdict__warn", "assessed"
    )[:DISAGREEMENTS_SHOWN]
    tally.disagreements = worst_first(Disagreement(*r) for r in rows)


# --- another date: from the records ----------------------------------------------------------------


@dataclass
class PastProject:
    """One project as it stood at the end of a past day: what the summary counts and the project
    list's drill-down (`as_of`) filters by — one computation for both."""

    project: Project
    stage: str
    health: str
    bad: int
    warn: int
    failing: frozenset[str]
    reports: Counter[str]  # due | overdue | late → obligations
    delivery: frozenset[str]  # the recorded delivery modes
    assessed: str | None  # the latest self-assessment submitted by then


def past_projects(scope: QuerySet[Project], day: dt.date) -> list[PastProject]:
    """The projects of `scope` that existed at the end of `day`, each with its facts then — from the
    records dated on or before it. At most PAST_AS_OF_MAX_PROJECTS: beyond, a 400
    `portfolio_past_as_of_too_wide` naming how to narrow (a department, stage or year)."""
    # a project counts from its creation, or from its first stage event when its history was
    # recorded later (a project registered with its past: the records' own dates decide)
    started = StageEvent.objects.filter(effective_date__lte=day).values("project_id")
    existing = scope.filter(Q(created_at__lt=end_of(day)) | Q(pk__in=started))
    count = existing.count()
    if count > PAST_AS_OF_MAX_PROJECTS:
        raise InvalidInput(
            PortfolioError.PAST_AS_OF_TOO_WIDE,
            {"max": PAST_AS_OF_MAX_PROJECTS, "count": count},
            fields={"department": FieldError(PortfolioError.NARROW_THE_SCOPE)},
        )
    projects = list(existing.select_related("lead_department").order_by("pk"))
    facts = project_facts_batch(projects=projects, as_of=day)
    assessed = dict(
        Project.objects.filter(pk__in=[p.pk for p in projects])
        .annotate(assessed=_latest_self_assessment(end_of(day)))
        .values_list("pk", "assessed")
    )
    return [_past_project(p, facts[p.pk], day, assessed.get(p.pk)) for p in projects]


def _past_project(project: Project, facts: Any, day: dt.date, assessed: str | None) -> PastProject:
    pack = engine.load_pack(project.regime)
    judged = evaluation(pack, facts, day)
    reports = getattr(facts, "reports", None)
    submissions = getattr(reports, "submissions", ()) if reports is not None else ()
    buckets: Counter[str] = Counter()
    for state in fr.report_obligations(facts.events, submissions, day, pack.rule("C4.1").params):
        bucket = bucket_of(state)
        buckets["due" if bucket == "pending" else bucket] += 1
    return PastProject(
        project=project,
        stage=facts.stage,
        health=judged.health,
        bad=judged.bad,
        warn=judged.warn,
        failing=frozenset(rule for rule, _clause, _severity, _status in judged.failures),
        reports=buckets,
        delivery=frozenset(m.mode for m in getattr(facts.procurement, "modes", ())),
        assessed=assessed,
    )


def _past(scope: QuerySet[Project], filters: Filters, day: dt.date) -> tuple[Tally, QuerySet[Project]]:
    """The figures as they stood at the end of `day`, from the records dated on or before it."""
    rows = past_projects(scope, day)
    if filters.stages:
        rows = [r for r in rows if r.stage in filters.stages]
    tally = Tally()
    for r in rows:
        _tally_past(tally, r)
    tally.disagreements = worst_first(tally.disagreements)
    tally.disagreement_count = len(tally.disagreements)
    del tally.disagreements[DISAGREEMENTS_SHOWN:]
    projects = [r.project for r in rows]
    states = estimate_states(projects=projects, as_of=day)
    spent = spent_by_lines(projects=projects, as_of=day)
    for p in projects:
        code = p.lead_department.code
        state = states[p.pk]
        if state is not None:
            if state.baseline is not None:
                tally.add_money("baseline", code, state.total)
            tally.add_money("current", code, sum((line.current_amount for line in state.lines), ZERO))
        tally.add_money("spent", code, sum(spent[p.pk].values(), ZERO) if spent[p.pk] else None)
    return tally, Project.objects.filter(pk__in=[p.pk for p in projects])


def _tally_past(tally: Tally, r: PastProject) -> None:
    project = r.project
    code = project.lead_department.code
    tally.names[code] = project.lead_department.name
    tally.by_stage[r.stage] += 1
    tally.by_department[code] += 1
    tally.by_year[int(project.code[:4])] += 1
    for k in ("service_outsourcing", "data_hosting"):
        tally.delivery[k] += k in r.delivery
    tally.health[r.health] += 1
    if disagrees(r.health, r.assessed):
        tally.disagreements.append(Disagreement(project.code, project.name, r.health, r.bad, r.warn, r.assessed or ""))
    tally.rules.update(r.failing)
    tally.reports.update(r.reports)
    tally.report_projects.update(k for k, n in r.reports.items() if n)


# --- the project list's drill-down on a past date (projects.filters.select_as_of) ------------------


def _past_match(r: PastProject, params: Mapping[str, str]) -> bool:
    stages = [s for s in (params.get("stage") or "").split(",") if s]
    checks = (
        (stages, lambda: r.stage in stages),
        (params.get("health"), lambda: r.health == params["health"]),
        (params.get("rule"), lambda: params["rule"] in r.failing),
        (params.get("delivery_mode"), lambda: params["delivery_mode"] in r.delivery),
        (params.get("report"), lambda: r.reports[params["report"]] > 0),
    )
    return all(check() for wanted, check in checks if wanted)


def select_as_of(scoped: QuerySet[Project], day: dt.date, params: Mapping[str, str]) -> QuerySet[Project]:
    """The projects of `scoped` as they stood at the end of `day` that the date-dependent filters
    select (projects.filters.PAST_FILTERS): the same PastProject facts the summary counts on that
    date, and the adjustments and post-evaluations dated by then — so that a past cockpit's figure
    and the list at its link agree. Cached like the summary (records_stamp: only while no record
    has changed)."""
    key = ":".join((str(scoped.query), day.isoformat(), clock.today().isoformat(), records_stamp()))
    key = "portfolio:as_of:" + hashlib.sha256(key.encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:  # the projects of the scope then, once for every filter of the drill-down
        rows = past_projects(scoped, day)
        cache.set(key, rows, CACHE_SECONDS)
    qs = Project.objects.filter(pk__in=[r.project.pk for r in rows if _past_match(r, params)])
    if params.get("adjustment"):
        route, state = params["adjustment"].split(":")
        having = dated_adjustments(day).filter(route=route, state=state)
        qs = qs.filter(pk__in=having.values("project_id"))
    if params.get("rectification"):
        qs = qs.filter(pk__in=dated_ids("rectification", params["rectification"], day))
    if params.get("post_evaluation"):
        qs = qs.filter(pk__in=_evaluations(day).filter(conclusion=params["post_evaluation"]).values("project_id"))
    return qs
