"""The department record (履约档案, domain.md §11.4; api.md `GET /departments/{code}/record`): one
view of a department for NDRC, MoF and the department itself — the projects it LEADS by stage,
their failing rules by clause, overdue reports, budget adjustments by route and state, and the
sections of the later modules (procurement shares, rectification items, post-evaluation
conclusions). NDRC sees it beside every approval decision of that department's projects.

A registry of sections, like portfolio/figures.py: a section is `(scope) -> value`, registered by
name with `register_section`; `scope` (RecordScope) holds the department, its led projects (a
QuerySet: aggregate over it, never a query per project), the date asked for and whether that is
today. Every value is JSON-serialisable and has one shape; a module that is not installed answers
`null` ("not recorded yet"), never an invented number.

Dates: today (Beijing) the stored rows serve — the verdicts (ADR 0013, made fresh first) and the
report obligations (ADR 0015). Another date is judged from the records dated on or before it: the
stage from the stage events, the rules and the reports from a full evaluation of the department's
projects (`project_facts_batch`, at most PAST_AS_OF_MAX_PROJECTS of them), the adjustments from
their request and decision instants. What a module section can date is said by the module (see
docs/department-record.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet

from egovpm.accounts.models import Department, User
from egovpm.compliance import selectors as compliance
from egovpm.compliance.models import RuleFailure
from egovpm.compliance.services import evaluation
from egovpm.compliance.stamp import records_stamp
from egovpm.core import clock
from egovpm.core.errors import FieldError, InvalidInput, NotFound
from egovpm.portfolio import selectors as portfolio
from egovpm.portfolio.errors import PortfolioError
from egovpm.projects import policies
from egovpm.projects.choices import Stage
from egovpm.projects.facts import project_facts_batch
from egovpm.projects.models import Project, StageEvent
from egovpm.reports.models import ReportObligation
from egovpm.reports.obligations import bucket_of
from egovpm.reviews import selectors as reviews
from egovpm.rules import engine
from egovpm.rules import facts_reports as fr
from egovpm.web.inbox import kept

PROJECTS_SHOWN = 50  # the project list of the record; the drill-down lists them all
OVERDUE_SHOWN = 50  # the overdue reports and rectification items listed (the counts are exact)
EVALUATIONS_SHOWN = 50  # the latest post-evaluations listed (the count is exact)
PAST_AS_OF_MAX_PROJECTS = portfolio.PAST_AS_OF_MAX_PROJECTS


@dataclass(frozen=True)
class Judged:
    """One project as of a past date: its stage, its failing rules and its overdue reports."""

    stage: str
    failures: tuple[tuple[str, str], ...]  # (rule, clause) failing or erroring
    reports: tuple[tuple[str, str, dt.date], ...]  # (bucket, period, due) of every obligation


@dataclass
class RecordScope:
    """What every section reads: the department, the projects it leads, the date."""

    department: Department
    projects: QuerySet[Project]
    as_of: dt.date
    today: bool
    _judged: dict[Any, tuple[Project, Judged]] | None = field(default=None, repr=False)

    def judged(self) -> dict[Any, tuple[Project, Judged]]:
        """A past date: every project that existed then, judged from its records (computed once)."""
        if self._judged is None:
            self._judged = _judge_past(self.projects, self.as_of)
        return self._judged


Section = Callable[[RecordScope], Any]
_sections: dict[str, Section] = {}


def register_section(name: str, section: Section) -> None:
    """A section of the record, in registration order (a module's replaces one of the same name)."""
    _sections[name] = section


def may_read(user: User, department: Department) -> bool:
    """NDRC and MoF read every department's record; a department's staff and leaders their own."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_role(*policies.READ_ALL_ROLES):
        return True
    return bool(user.has_role(*policies.DEPT_ROLES) and user.department_id == department.pk)


def department_for(user: User, code: str) -> Department:
    """The department whose record `user` may read, else 404 — an unknown code and a record the
    user may not read answer alike (existence never leaks)."""
    department = Department.objects.filter(code=code).first()
    if department is None or not may_read(user, department):
        raise NotFound()
    return department


def own_department(user: User) -> Department | None:
    """The department whose record a department's member reads from the navigation."""
    if user.has_role(*policies.DEPT_ROLES) and user.department_id:
        return user.department
    return None


def led_projects(department: Department) -> QuerySet[Project]:
    return Project.objects.filter(lead_department=department)


def record(*, user: User, code: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The department record of `code` as of `as_of` (today in Beijing when absent): 404 outside
    the reader's reach, 400 for a past date of a department with too many projects."""
    department = department_for(user, code)
    return record_of(department, as_of)


def record_of(department: Department, as_of: dt.date | None = None, only: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every registered section (or those named in `only`) of `department` — no access check:
    the callers check (record(), and the project page and review seams, which NDRC reads)."""
    today = clock.today()
    day = as_of or today
    names = only or tuple(_sections)
    if day != today:
        return _record_of(department, day, today, names)
    # today's record is kept under every record's stamp, as the cockpit summary is (ADR 0019): ~15
    # aggregate queries over the department's projects (900 ms a request at 100,000 projects under
    # load), the same answer until any record changes
    key = f"portfolio.record:{department.pk}:{names}:{day}"
    return dict(kept(key, records_stamp(), lambda: _record_of(department, day, today, names)))


def _record_of(department: Department, day: dt.date, today: dt.date, names: tuple[str, ...]) -> dict[str, Any]:
    scope = RecordScope(department=department, projects=led_projects(department), as_of=day, today=day == today)
    if scope.today:
        compliance.ensure_fresh(scope.projects)
    return {
        "department": {"code": department.code, "name": department.name, "kind": department.kind},
        "as_of": day,
        "today": scope.today,
        **{name: _sections[name](scope) for name in names},
    }


# --- a past date: the records dated on or before it ----------------------------------------------


def _judge_past(projects: QuerySet[Project], day: dt.date) -> dict[Any, tuple[Project, Judged]]:
    started = StageEvent.objects.filter(effective_date__lte=day).values("project_id")
    existing = projects.filter(Q(created_at__lt=portfolio.end_of(day)) | Q(pk__in=started))
    count = existing.count()
    if count > PAST_AS_OF_MAX_PROJECTS:
        too_wide = {"max": PAST_AS_OF_MAX_PROJECTS, "count": count}
        raise InvalidInput(
            PortfolioError.PAST_AS_OF_TOO_WIDE,
            too_wide,
            fields={"as_of": FieldError(PortfolioError.PAST_AS_OF_TOO_WIDE, too_wide)},
        )
    rows = list(existing.order_by("code"))
    facts = project_facts_batch(projects=rows, as_of=day)
    out: dict[Any, tuple[Project, Judged]] = {}
    for p in rows:
        f = facts[p.pk]
        pack = engine.load_pack(p.regime)
        judged = evaluation(pack, f, day)
        reports = getattr(f, "reports", None)
        submissions = getattr(reports, "submissions", ()) if reports is not None else ()
        states = fr.report_obligations(f.events, submissions, day, pack.rule("C4.1").params)
        out[p.pk] = (
            p,
            Judged(
                stage=f.stage,
                failures=tuple((rule, clause) for rule, clause, _severity, _status in judged.failures),
                reports=tuple((bucket_of(s), s.period.code, s.period.due) for s in states),
            ),
        )
    return out


# --- the core sections -------------------------------------------------------------------------------


def _project_row(p: Project, stage: str) -> dict[str, Any]:
    return {"id": str(p.pk), "code": p.code, "name": p.name, "stage": stage}


def projects_section(scope: RecordScope) -> dict[str, Any]:
    """The projects the department leads: how many in each stage, and the first PROJECTS_SHOWN of
    them by code (the project list, `?department=CODE`, lists them all)."""
    if scope.today:
        by_stage = Counter(
            dict(scope.projects.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
        )
        shown = [_project_row(p, p.stage) for p in scope.projects.order_by("code")[:PROJECTS_SHOWN]]
    else:
        judged = scope.judged()
        by_stage = Counter(j.stage for _p, j in judged.values())
        shown = [_project_row(p, j.stage) for p, j in list(judged.values())[:PROJECTS_SHOWN]]
    return {
        "total": sum(by_stage.values()),
        "by_stage": {s: by_stage[s] for s in Stage.values if by_stage[s]},
        "results": shown,
    }


def rules_section(scope: RecordScope) -> dict[str, Any]:
    """Failing (or erroring) rules: how many of the department's projects fail each rule, by clause
    一 … 十一, and how many projects fail at least one rule."""
    if scope.today:
        failures = RuleFailure.objects.filter(project__in=scope.projects.values("pk"))
        per_rule = dict(failures.values_list("rule").annotate(n=Count("pk")).order_by())
        failing = failures.order_by().values("project_id").distinct().count()
    else:
        judged = scope.judged().values()
        per_rule = dict(Counter(rule for _p, j in judged for rule, _clause in j.failures))
        failing = sum(1 for _p, j in judged if j.failures)
    rules = dict(sorted(per_rule.items(), key=lambda kv: portfolio._rule_order(kv[0])))
    return {
        "projects_failing": failing,
        "failures": sum(rules.values()),
        "by_clause": {c: v for c, v in portfolio._by_clause(rules).items() if v["rules"]},
    }


def reports_section(scope: RecordScope) -> dict[str, Any]:
    """Progress-report obligations due, overdue and late; the overdue ones listed (oldest first)."""
    if scope.today:
        rows = ReportObligation.objects.filter(project__in=scope.projects.values("pk"))
        counts = rows.aggregate(
            due=Count("pk", filter=Q(bucket="pending")),
            overdue=Count("pk", filter=Q(bucket="overdue")),
            late=Count("pk", filter=Q(bucket="late")),
        )
        overdue = [
            {"id": str(pk), "code": code, "name": name, "period": period, "due": due.isoformat()}
            for pk, code, name, period, due in rows.filter(bucket="overdue")
            .order_by("due", "project_code", "period")
            .values_list("project_id", "project__code", "project__name", "period", "due")[:OVERDUE_SHOWN]
        ]
    else:
        tally: Counter[str] = Counter()
        late: list[tuple[dt.date, str, str, Project]] = []
        for p, j in scope.judged().values():
            for bucket, period, due in j.reports:
                tally[bucket] += 1
                if bucket == "overdue":
                    late.append((due, p.code, period, p))
        late.sort(key=lambda row: row[:3])
        overdue = [
            {"id": str(p.pk), "code": code, "name": p.name, "period": period, "due": due.isoformat()}
            for due, code, period, p in late[:OVERDUE_SHOWN]
        ]
        counts = {"due": tally["pending"], "overdue": tally["overdue"], "late": tally["late"]}
    return {**{k: counts[k] for k in ("due", "overdue", "late")}, "overdue_items": overdue}


def adjustments_section(scope: RecordScope) -> dict[str, dict[str, int]]:
    """Budget adjustment requests by route and state (the cockpit's figure, for these projects)."""
    return portfolio.adjustments(scope.projects, scope.as_of)


# --- the module sections (null until the module is installed) ---------------------------------------


def procurement_section(scope: RecordScope) -> Any:
    """自主可控 shares over every procurement of the department's projects (domain.md §11.1):
    `{"categories": {category: {"amount", "count"}}, "key_total": {"amount", "count"}}`, exact
    decimal strings, null where there is nothing to divide; null until procurement is installed.
    On a past date only the contracts dated on or before it count (a contract date is never in the
    future, so today's answer is the whole register)."""
    if not recorded("procurement_shares"):
        return None
    from egovpm.procurement.shares import shares_for

    return shares_for(scope.projects, as_of=scope.as_of)


def department_shares(project: Project) -> Any:
    """The record's procurement_shares of the project's lead department (the reviews tab's and
    `GET /projects/{id}/department-history`'s seam, registered below)."""
    department = project.lead_department
    return procurement_section(
        RecordScope(department=department, projects=led_projects(department), as_of=clock.today(), today=True)
    )


def project_shares(project: Project) -> Any:
    """One project's 自主可控 shares (shown beside NDRC's completion acceptance); null until
    procurement is installed."""
    if not recorded("procurement_shares"):
        return None
    from egovpm.procurement.shares import shares_for

    return shares_for(Project.objects.filter(pk=project.pk))


def rectifications_section(scope: RecordScope) -> Any:
    """Rectification items of the department's projects (domain.md §11.3) on as_of, judged by the
    dates of their events: `{"open": n, "overdue": n, "overdue_items": [the OVERDUE_SHOWN oldest]}`;
    null until inspections are installed."""
    if not recorded("rectifications"):
        return None
    from egovpm.inspections.selectors import department_items

    items = department_items(scope.department, scope.as_of)
    overdue = sorted(items["overdue"], key=lambda i: (i["due_date"], i["project_code"], i["reference"]))
    return {
        "open": items["open"],
        "overdue": len(overdue),
        "overdue_items": [{**i, "due_date": i["due_date"].isoformat()} for i in overdue[:OVERDUE_SHOWN]],
    }


def _exact(score: Any) -> str:
    """A score (Decimal, stored with 16 places) as its exact digits: "85", "84.25"."""
    text = format(score, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def post_evaluations_section(scope: RecordScope) -> Any:
    """The department's post-evaluations (domain.md §11.3) dated on or before as_of: how many, by
    conclusion, and the latest EVALUATIONS_SHOWN of them; null until evaluations are installed."""
    if not recorded("post_evaluations"):
        return None
    from egovpm.evaluations.models import PostEvaluation
    from egovpm.evaluations.selectors import conclusions_for

    # only the projects evaluated at all, and only what the rows show of them (not every project
    # of the department read whole)
    evaluated = scope.projects.filter(pk__in=PostEvaluation.objects.values("project_id")).only("pk", "code", "name")
    rows = [r for r in conclusions_for(list(evaluated)) if r["evaluated_on"] <= scope.as_of]
    rows.sort(key=lambda r: (r["evaluated_on"], r["project"].code), reverse=True)
    return {
        "count": len(rows),
        "by_conclusion": dict(Counter(r["conclusion"] for r in rows)),
        "results": [
            {
                "project": str(r["project"].pk),
                "project_code": r["project"].code,
                "project_name": r["project"].name,
                "evaluated_on": r["evaluated_on"].isoformat(),
                "conclusion": r["conclusion"],
                "efficiency": _exact(r["efficiency"]),
                "effect": _exact(r["effect"]),
            }
            for r in rows[:EVALUATIONS_SHOWN]
        ],
    }


register_section("projects", projects_section)
register_section("rules_failing", rules_section)
register_section("reports", reports_section)
register_section("adjustments", adjustments_section)
register_section("procurement_shares", procurement_section)
register_section("rectifications", rectifications_section)
register_section("post_evaluations", post_evaluations_section)
reviews.register_department_shares(department_shares)


# The module behind each module section: until it is installed the section answers null.
MODULES = {
    "procurement_shares": "egovpm.procurement",
    "rectifications": "egovpm.inspections",
    "post_evaluations": "egovpm.evaluations",
}


def recorded(name: str) -> bool:
    """Whether a section's records are part of the product (its module is installed)."""
    return name not in MODULES or apps.is_installed(MODULES[name])


# The compact panel beside an approval decision (the project page): the department's projects by
# stage, its failing rules, its overdue reports and its key-category shares.
PANEL_SECTIONS = ("projects", "rules_failing", "reports", "procurement_shares")
