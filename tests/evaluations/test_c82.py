"""C8.2: a post-evaluation rating every approved goal, due within 12 months of operation
(Beijing dates, the due day inclusive)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts, StageEventFact
from egovpm.rules.facts_evaluations import PostEvaluationFact, add_months

PARAMS = {"months_after_completion": 12}


def _check() -> Any:
    return engine.registered_checks("r2007")["C8.2"]


def _facts(since: dt.date | None, evaluations: tuple[PostEvaluationFact, ...] | None = ()) -> ProjectFacts:
    events = (
        ()
        if since is None
        else (StageEventFact("pass_completion_acceptance", "acceptance", "in_operation", since, ""),)
    )
    return ProjectFacts(
        stage="in_operation" if since else "construction",
        lead_department_kind="central",
        events=events,
        evaluations=evaluations,
    )


@pytest.mark.parametrize(
    ("since", "as_of", "status"),
    [
        (dt.date(2025, 6, 30), dt.date(2026, 6, 29), "not_applicable"),
        (dt.date(2025, 6, 30), dt.date(2026, 6, 30), "not_applicable"),  # the due day itself: still in time
        (dt.date(2025, 6, 30), dt.date(2026, 7, 1), "fail"),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), "not_applicable"),  # no 29 Feb 2025: due the 28th
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), "fail"),
    ],
)
def test_boundary(since: dt.date, as_of: dt.date, status: str) -> None:
    verdict = _check()(_facts(since), PARAMS, Context(as_of=as_of))
    assert verdict.status == status
    if status == "not_applicable":
        assert verdict.until == add_months(since, 12)  # the last day it holds: it fails the day after


def test_pass_and_not_applicable() -> None:
    done = (PostEvaluationFact(dt.date(2026, 5, 1), True),)
    assert _check()(_facts(dt.date(2025, 6, 30), done), PARAMS, Context(as_of=dt.date(2027, 1, 1))).status == "pass"
    partial = (PostEvaluationFact(dt.date(2026, 5, 1), False),)
    assert _check()(_facts(dt.date(2025, 6, 30), partial), PARAMS, Context(as_of=dt.date(2027, 1, 1))).status == "fail"
    assert _check()(_facts(None), PARAMS, Context(as_of=dt.date(2027, 1, 1))).status == "not_applicable"
    assert (
        _check()(_facts(dt.date(2025, 6, 30), None), PARAMS, Context(as_of=dt.date(2027, 1, 1))).key
        == "missing_records"
    )


def test_the_pack_parameter_counts() -> None:
    verdict = _check()(_facts(dt.date(2025, 6, 30)), {"months_after_completion": 6}, Context(as_of=dt.date(2026, 1, 1)))
    assert verdict.status == "fail"


@pytest.mark.django_db
def test_through_the_records_in_beijing_dates(api: Any, operating: Any, report: Any, personas: Any) -> None:
    """In operation since 2024-08-07: due 2025-08-07. The compliance report as of each date; the
    clock set in UTC late on 2025-08-07 is already 2025-08-08 in Beijing."""
    from egovpm.core import clock
    from egovpm.projects.selectors import project_compliance

    def c82(as_of: dt.date) -> Any:
        return next(r for r in project_compliance(project=operating, as_of=as_of)["results"] if r.rule == "C8.2")

    assert c82(dt.date(2025, 8, 7)).status == "not_applicable"
    assert c82(dt.date(2025, 8, 8)).status == "fail"
    assert c82(dt.date(2024, 8, 6)).status == "not_applicable"  # before it went into operation
    clock.set_now(dt.datetime(2025, 8, 7, 16, 30, tzinfo=dt.UTC))  # 00:30 on 8 August in Beijing
    assert next(r for r in project_compliance(project=operating)["results"] if r.rule == "C8.2").status == "fail"
    clock.set_now(dt.datetime(2025, 8, 7, 15, 30, tzinfo=dt.UTC))  # 23:30 on 7 August in Beijing
    assert (
        next(r for r in project_compliance(project=operating)["results"] if r.rule == "C8.2").status == "not_applicable"
    )
    clock.set_now(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))
    from .conftest import body

    r = api("inspector_assigned").post(
        f"/api/v1/projects/{operating.pk}/post-evaluations", body(report, evaluated_on="2026-11-10"), format="json"
    )
    assert r.status_code == 201, r.json()
    assert c82(dt.date(2026, 11, 9)).status == "fail"  # dated after that day: not counted yet
    assert c82(dt.date(2026, 11, 10)).status == "pass"


@pytest.mark.django_db
def test_batched_facts_one_query_and_horizon(
    operating: Any, report: Any, personas: Any, django_assert_num_queries: Any
) -> None:
    from egovpm.evaluations.facts import evaluation_facts
    from egovpm.evaluations.services import post_evaluation_add

    from .conftest import body

    data = body(report, evaluated_on="2026-11-10")
    post_evaluation_add(actor=personas["ndrc"], project_id=operating.pk, **data)
    with django_assert_num_queries(1):
        facts = evaluation_facts([operating], dt.date(2026, 11, 9))
    assert facts[operating.pk]["evaluations"] == ()
    assert facts[operating.pk]["horizon"] == dt.date(2026, 11, 10)
    facts = evaluation_facts([operating], dt.date(2026, 11, 10))
    assert facts[operating.pk]["evaluations"][0].rates_all_goals
