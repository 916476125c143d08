"""The cockpit's figures (egovpm.portfolio.selectors.summary) equal what the project list and the
per-project reads answer for the same filters, for NDRC, MoF and a department — whose figures never
include another department's projects — today and on a past date; their query count does not grow
with the portfolio."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from egovpm.accounts.models import User
from egovpm.core.errors import DomainError

pytestmark = pytest.mark.django_db

ZERO = Decimal(0)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _listed(user: User, **params: str) -> list[Any]:
    from egovpm.projects.selectors import project_list_rows

    return list(
        project_list_rows(user=user, **{k: v for k, v in params.items() if v}).select_related("lead_department")
    )


def _expected_today(user: User, **params: str) -> dict[str, Any]:
    """The figures from the project list (its filters, the drill-down's) and per-project reads."""
    from egovpm.budgets.choices import AdjustmentStatus, Route
    from egovpm.budgets.selectors import budget_execution
    from egovpm.projects.choices import Stage
    from egovpm.projects.filters import rule_choices
    from egovpm.reports.obligations import bucket_of
    from egovpm.reports.selectors import report_obligations_for

    projects = _listed(user, **params)
    money = Counter[str]()
    reports = Counter[str]()
    adjustments = {r: dict.fromkeys(AdjustmentStatus.values, 0) for r in Route.values}
    for p in projects:
        for a in p.adjustments.all():
            adjustments[a.route][a.status] += 1
        execution = budget_execution(project=p)
        money["baseline"] += execution["total_baseline"] or ZERO
        money["current"] += execution["total_current"]
        money["spent"] += execution["total_spent"]
        for o in report_obligations_for(project=p):
            reports[bucket_of(o.state)] += 1
    return {
        "total": len(projects),
        "by_stage": {
            s: n
            for s in Stage.values
            if s in (params.get("stage") or s).split(",") and (n := len(_listed(user, **{**params, "stage": s})))
        },
        "by_department": dict(Counter(p.lead_department.code for p in projects)),
        "by_year": dict(Counter(p.code[:4] for p in projects)),
        "health": {h: len(_listed(user, **params, health=h)) for h in ("red", "amber", "green")},
        "rules": {r: n for r, _ in rule_choices() if (n := len(_listed(user, **params, rule=r)))},
        "investment": {k: str(Decimal(money[k]).quantize(Decimal("0.01"))) for k in ("baseline", "current", "spent")},
        "reports": {"due": reports["pending"], "overdue": reports["overdue"], "late": reports["late"]},
        "delivery": {
            "service_outsourcing": sum(p.service_outsourcing for p in projects),
            "data_hosting": sum(p.data_hosting for p in projects),
        },
        "adjustments": adjustments,
        "ids": {p.pk for p in projects},
    }


def _figures(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "total": data["projects"]["total"],
        "by_stage": {s: n for s, n in data["projects"]["by_stage"].items() if n},
        "by_department": data["projects"]["by_department"],
        "by_year": data["projects"]["by_year"],
        "health": data["health"],
        "rules": data["rules_failing"],
        "investment": {k: data["investment"][k] for k in ("baseline", "current", "spent")},
        "reports": data["reports"],
        "delivery": data["delivery_modes"],
        "adjustments": data["adjustments"],
    }


@pytest.fixture
def demo() -> None:
    from egovpm import demo as demo_module

    demo_module.load()


@pytest.mark.parametrize(
    ("username", "params"),
    [
        ("ndrc.officer", {}),
        ("mof.viewer", {}),
        ("ndrc.officer", {"department": "mohrss"}),
        ("mohrss.staff", {}),
        ("zj.staff", {}),
        ("mee.leader", {"stage": "construction,trial_operation"}),
    ],
)
def test_the_summary_equals_the_project_list_and_per_project_reads(
    demo: None, username: str, params: dict[str, str]
) -> None:
    from egovpm.portfolio.selectors import summary

    user = _user(username)
    expected = _expected_today(user, **params)
    data = summary(user=user, **params)
    assert expected["total"] > 0, "the demo gives this view projects"
    assert _figures(data) == {k: v for k, v in expected.items() if k != "ids"}


def test_a_department_never_counts_another_departments_projects(demo: None) -> None:
    from egovpm.portfolio.selectors import summary
    from egovpm.projects import policies

    user = _user("mohrss.staff")
    own = set(policies.restrict(user, "view").values_list("pk", flat=True))
    everything = summary(user=_user("ndrc.officer"))
    mine = summary(user=user)
    assert mine["projects"]["total"] == len(own) < everything["projects"]["total"]
    # asking for another department's projects gives only those it shares with the caller
    other = summary(user=user, department="mee")
    assert other["projects"]["total"] == len(_listed(user, department="mee"))
    assert set(other["projects"]["by_department"]) <= set(mine["projects"]["by_department"])


def test_not_yet_recorded_figures_are_null_never_invented(demo: None) -> None:
    from egovpm.portfolio.selectors import summary

    data = summary(user=_user("ndrc.officer"))
    # inspections are installed (issue 12): the demo's items not closed (one open, one overdue)
    assert data["rectifications"] == {"open": 2, "overdue": 1}
    # procurement is installed (issue 11): its shares in api.md's shape, never a number invented
    assert set(data["procurement_shares"]) == {"categories", "key_total"}


def test_roles_outside_the_cockpit_are_refused(demo: None) -> None:
    from egovpm.portfolio.selectors import summary

    for username in ("expert.liu", "inspector.ma", "sys.admin", "audit.admin"):
        with pytest.raises(DomainError) as refused:
            summary(user=_user(username))
        assert refused.value.status == 403


@pytest.mark.parametrize(
    ("field", "params"), [("year", {"year": "20x5"}), ("year", {"year": "1800"}), ("stage", {"stage": "built"})]
)
def test_a_bad_filter_is_a_400_naming_it(demo: None, field: str, params: dict[str, str]) -> None:
    from egovpm.portfolio.selectors import summary

    with pytest.raises(DomainError) as refused:
        summary(user=_user("ndrc.officer"), **params)
    assert refused.value.status == 400
    assert field in refused.value.fields


def _expected_past(user: User, day: dt.date, **params: str) -> dict[str, Any]:
    """The figures on a past date from each project's own pages: its compliance report as of the
    date (engine.evaluate), its budget execution and its report obligations then, its stage from
    its events dated by then — over the projects of the list that existed at the end of the day."""
    from egovpm.budgets.selectors import budget_execution
    from egovpm.compliance.services import counts
    from egovpm.projects.selectors import project_compliance
    from egovpm.reports.obligations import bucket_of
    from egovpm.reports.selectors import report_obligations_for

    beijing = dt.timezone(dt.timedelta(hours=8))
    projects = [
        p
        for p in _listed(user, **params)
        if p.created_at.astimezone(beijing).date() <= day or p.events.filter(effective_date__lte=day).exists()
    ]
    by_stage: Counter[str] = Counter()
    health: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    money = Counter[str]()
    reports = Counter[str]()
    for p in projects:
        events = [e for e in p.events.order_by("seq") if e.effective_date <= day]
        by_stage[events[-1].to_stage if events else "draft"] += 1
        results = project_compliance(project=p, as_of=day)["results"]
        health[counts((r.status, r.severity) for r in results)[0]] += 1
        rules.update(r.rule for r in results if r.status in ("fail", "error"))
        execution = budget_execution(project=p, as_of=day)
        money["baseline"] += execution["total_baseline"] or ZERO
        money["current"] += execution["total_current"]
        money["spent"] += execution["total_spent"]
        for o in report_obligations_for(project=p, as_of=day):
            reports[bucket_of(o.state)] += 1
    return {
        "total": len(projects),
        "by_stage": dict(by_stage),
        "health": {h: health[h] for h in ("red", "amber", "green")},
        "rules": dict(rules),
        "investment": {k: str(Decimal(money[k]).quantize(Decimal("0.01"))) for k in ("baseline", "current", "spent")},
        "reports": {"due": reports["pending"], "overdue": reports["overdue"], "late": reports["late"]},
    }


@pytest.mark.parametrize("username", ["ndrc.officer", "mohrss.staff"])
def test_a_past_date_equals_each_projects_own_pages_as_of_that_date(demo: None, username: str) -> None:
    from egovpm.portfolio.selectors import summary

    user = _user(username)
    day = dt.date(2026, 6, 30)
    expected = _expected_past(user, day)
    data = summary(user=user, as_of=day)
    got = _figures(data)
    assert expected["total"] > 0
    assert {k: got[k] for k in expected} == expected


@pytest.fixture
def synthetic() -> None:
    """A small synthetic portfolio (egovpm.ops.synthetic): every stage, several departments and
    code years, estimates, spending, adjustments and reports; its verdicts are computed on demand."""
    from egovpm.audit.services import current_channel
    from egovpm.ops.synthetic import seed

    token = current_channel.set("test")
    try:
        seed(projects=60, seed=11, password="Synthetic-Passw0rd-2026")
    finally:
        current_channel.reset(token)


def test_the_summary_equals_the_project_list_on_a_synthetic_portfolio(synthetic: None) -> None:
    from egovpm.accounts.choices import Role
    from egovpm.portfolio.selectors import summary
    from egovpm.projects.models import Project

    ndrc = next(u for u in User.objects.all() if u.has_role(Role.NDRC_OFFICER))
    staff = [u for u in User.objects.all() if u.has_role(Role.DEPT_STAFF) and u.department_id]
    year = Project.objects.order_by("code").values_list("code", flat=True).first()[:4]
    cases = ((ndrc, {}), (ndrc, {"stage": "construction"}), (ndrc, {"year": year}), (staff[0], {}), (staff[-1], {}))
    for user, params in cases:
        expected = _expected_today(user, **params)
        assert _figures(summary(user=user, **params)) == {k: v for k, v in expected.items() if k != "ids"}
    assert len(summary(user=ndrc)["projects"]["by_year"]) > 1, "the synthetic codes span several years"
