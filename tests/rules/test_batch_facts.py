"""Batched fact gathering (issue 13): the facts of many projects read at once are those of each
project read alone, the number of queries does not grow with the number of projects, and each
project's facts know the first future date on which a record of it starts to count (`horizon`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import NOW, advance

TODAY = dt.date(2026, 11, 20)  # NOW in Beijing


@pytest.fixture
def demo_projects(personas: dict[str, Any]) -> list[Any]:
    from egovpm import demo
    from egovpm.projects.models import Project

    demo.load()
    return list(Project.objects.order_by("code"))


def _as_of_dates(project: Any) -> list[dt.date]:
    """Before the project's first move, during construction, at and after the end of its walk,
    today and next year; each boundary also the day before."""
    events = list(project.events.order_by("seq"))
    days = {dt.date(2017, 1, 1), TODAY - dt.timedelta(days=1), TODAY, dt.date(2027, 6, 30)}
    for e in events:
        days |= {e.effective_date - dt.timedelta(days=1), e.effective_date}
    construction = [e.effective_date for e in events if e.to_stage == "construction"]
    if construction:
        days.add(construction[0] + dt.timedelta(days=40))
    return sorted(days)


@pytest.mark.django_db
def test_batch_equals_each_project_alone(demo_projects: list[Any]) -> None:
    from egovpm.projects.facts import project_facts, project_facts_batch

    assert len(demo_projects) >= 10
    stages = set()
    for as_of in sorted({d for p in demo_projects for d in _as_of_dates(p)}):
        batch = project_facts_batch(projects=demo_projects, as_of=as_of)
        assert set(batch) == {p.pk for p in demo_projects}
        for project in demo_projects:
            alone = project_facts(project=project, as_of=as_of)
            assert batch[project.pk] == alone, (project.code, as_of)
            stages.add(alone.stage)
    # the dates cover projects before, during and after construction
    assert {"draft", "construction", "in_operation"} <= stages


@pytest.mark.django_db
def test_batch_does_not_depend_on_its_neighbours(demo_projects: list[Any]) -> None:
    """A project's facts are the same whichever projects share its batch, in whatever order."""
    from egovpm.projects.facts import project_facts_batch

    everyone = project_facts_batch(projects=demo_projects, as_of=TODAY)
    backwards = project_facts_batch(projects=demo_projects[::-1], as_of=TODAY)
    assert everyone == backwards
    for a, b in zip(demo_projects[::2], demo_projects[1::2], strict=False):
        pair = project_facts_batch(projects=[a, b], as_of=TODAY)
        assert pair == {a.pk: everyone[a.pk], b.pk: everyone[b.pk]}


@pytest.mark.django_db
def test_facts_hold_until_the_day_before_their_horizon(demo_projects: list[Any]) -> None:
    """What a stored verdict relies on: judged as of a day, a project's facts stay the same on
    every later day before its horizon (records only start to count on their own dates), and the
    horizon is still ahead then; with no horizon they never change (without a write)."""
    from egovpm.projects.facts import project_facts, project_facts_batch

    ahead = 0
    for as_of in sorted({d for p in demo_projects for d in _as_of_dates(p)}):
        batch = project_facts_batch(projects=demo_projects, as_of=as_of)
        for project in demo_projects:
            facts = batch[project.pk]
            last = facts.horizon - dt.timedelta(days=1) if facts.horizon else dt.date(2031, 1, 1)
            later = project_facts(project=project, as_of=last)
            assert dataclasses.replace(later, horizon=None) == dataclasses.replace(facts, horizon=None)
            assert later.horizon == facts.horizon, (project.code, as_of)
            ahead += facts.horizon is not None
    assert ahead > 0


def _queries(projects: list[Any], as_of: dt.date) -> int:
    from egovpm.projects.facts import project_facts_batch

    with CaptureQueriesContext(connection) as ctx:
        project_facts_batch(projects=projects, as_of=as_of)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_projects(demo_projects: list[Any]) -> None:
    """Some records are read only when a project of the batch has them (a draft estimate's lines,
    a baseline's self-approvals …), so two projects may need fewer queries than all: but the two
    that need the most need as many as every demo project, and as many as every project four times."""
    _queries(demo_projects, TODAY)  # warm-up: content types, rule packs
    for as_of in (dt.date(2025, 6, 1), TODAY):
        everyone = _queries(demo_projects, as_of)
        pairs = [_queries(list(pair), as_of) for pair in itertools.combinations(demo_projects, 2)]
        assert max(pairs) == everyone, as_of
        assert _queries(demo_projects * 4, as_of) == everyone
    assert _queries(demo_projects[:1], TODAY) <= everyone < 30


# ---------------------------------------------------------------- horizon


def _status(project: Any, rule: str, day: dt.date) -> str:
    """The compliance status of `rule` for `project` as of `day` (what the compliance page shows)."""
    from egovpm.projects.facts import project_facts
    from egovpm.rules import engine
    from egovpm.rules.facts import Context

    pack = engine.load_pack(project.regime)
    results = engine.evaluate(pack, project_facts(project=project, as_of=day), Context(day))
    return next(r.status for r in results if r.rule == rule)


@pytest.mark.django_db
def test_horizon_is_none_when_nothing_lies_ahead(project: Any) -> None:
    from egovpm.projects.facts import project_facts

    assert project_facts(project=project, as_of=TODAY).horizon is None


@pytest.mark.django_db
def test_horizon_is_the_first_stage_event_still_ahead(project: Any, personas: dict[str, Any]) -> None:
    from egovpm.projects.facts import project_facts

    project = advance(project, personas, "proposal", start=dt.date(2026, 3, 2))  # moves on 3-02 and 4-01
    before = project_facts(project=project, as_of=dt.date(2026, 3, 1))
    assert (before.stage, before.horizon) == ("draft", dt.date(2026, 3, 2))
    between = project_facts(project=project, as_of=dt.date(2026, 3, 2))
    assert between.stage == "needs_analysis"
    assert between.horizon is not None and between.horizon <= dt.date(2026, 4, 1)


@pytest.mark.django_db
def test_a_risk_assessment_dated_ahead_sets_the_horizon(project: Any, personas: dict[str, Any], clock: Any) -> None:
    from egovpm.projects.facts import project_facts
    from egovpm.security.services import risk_assessment_record

    project = advance(project, personas, "trial_operation", start=dt.date(2024, 1, 10))
    clock.set_now(NOW + dt.timedelta(days=40))  # the assessment is recorded on 2026-12-30 …
    risk_assessment_record(
        actor=personas["staff_a"],
        project_id=project.pk,
        assessed_on=dt.date(2026, 12, 15),  # … dated 2026-12-15
        assessor="国家信息技术安全研究中心",
        summary="试运行期间的信息安全风险评估",
    )
    clock.set_now(NOW)
    facts = project_facts(project=project, as_of=TODAY)
    assert facts.horizon == dt.date(2026, 12, 15)
    assert dt.date(2026, 12, 15) not in [a.assessed_on for a in facts.risk_assessments]
    # from that day on the assessment counts: C6.2 (assessed during trial operation) turns to pass
    assert (_status(project, "C6.2", dt.date(2026, 12, 14)), _status(project, "C6.2", dt.date(2026, 12, 15))) == (
        "fail",
        "pass",
    )
    assert project_facts(project=project, as_of=dt.date(2026, 12, 14)).horizon == dt.date(2026, 12, 15)
    assert project_facts(project=project, as_of=dt.date(2026, 12, 15)).horizon is None


@pytest.mark.django_db
def test_an_archive_acceptance_dated_ahead_sets_the_horizon(project: Any, personas: dict[str, Any], clock: Any) -> None:
    from egovpm.archives.services import archive_acceptance_record
    from egovpm.projects.facts import project_facts

    project = advance(project, personas, "acceptance", start=dt.date(2024, 1, 10))
    ahead = project_facts(project=project, as_of=TODAY).horizon
    clock.set_now(NOW + dt.timedelta(days=10))
    archive_acceptance_record(
        actor=personas["archivist_assigned"],
        project_id=project.pk,
        accepted_on=dt.date(2026, 11, 25),
        organizer="国家档案局",
        result="passed",
        opinion="档案齐全",
    )
    clock.set_now(NOW)
    facts = project_facts(project=project, as_of=TODAY)
    assert ahead is None or ahead > dt.date(2026, 11, 25)
    assert facts.horizon == dt.date(2026, 11, 25)
    assert facts.archive_acceptances == ()
    later = project_facts(project=project, as_of=dt.date(2026, 11, 25))
    assert [a.accepted_on for a in later.archive_acceptances] == [dt.date(2026, 11, 25)]
    assert later.horizon == ahead


@pytest.mark.django_db
def test_a_migration_target_ahead_sets_the_horizon_to_the_first_overdue_day(
    project: Any, personas: dict[str, Any]
) -> None:
    """A date stored on a counted record that C9.3 compares with as_of: the system is overdue from
    the day after its migration target, and the facts say so."""
    from egovpm.projects.facts import project_facts
    from egovpm.security.services import system_create

    system_create(
        actor=personas["staff_a"],
        project_id=project.pk,
        data={
            "name": "已建公共服务系统",
            "purpose": "public_service",
            "network": "gov_intranet",
            "is_new": False,
            "migration_target_date": "2027-01-31",
        },
    )
    facts = project_facts(project=project, as_of=TODAY)
    assert facts.horizon == dt.date(2027, 2, 1)
    assert (_status(project, "C9.3", dt.date(2027, 1, 31)), _status(project, "C9.3", dt.date(2027, 2, 1))) == (
        "pass",
        "fail",
    )
    assert project_facts(project=project, as_of=dt.date(2027, 2, 1)).horizon is None
