"""The property of the stored verdicts (issue 13, ADR 0013): after any sequence of changes made
through the real services and any moves of the date, the verdict `ensure_fresh` leaves stored for
every project equals a fresh full evaluation — the status, key and arguments of every rule, the
health, the bad/warn counts and the failing rules."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from budgets.conftest import STEPS  # (action, who, from stage) of the lifecycle
from conftest import NOW, make_project, ready_for
from egovpm.compliance import selectors
from egovpm.core.errors import DomainError

from .helpers import full, stored

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


class World:
    def __init__(self, personas: dict[str, Any], clock: Any) -> None:
        self.personas, self.clock = personas, clock
        self.projects: list[Any] = []
        self.now = NOW - dt.timedelta(days=700)  # start in late 2024: report periods come and go
        clock.set_now(self.now)

    def today(self) -> dt.date:
        return self.clock.today()

    def project(self, i: int) -> Any:
        from egovpm.projects.models import Project

        return Project.objects.get(pk=self.projects[i % len(self.projects)].pk)

    # --- the changes --------------------------------------------------------------------------
    def create(self, joint: bool) -> None:
        from egovpm.projects.services import assignment_add

        p = make_project(
            self.personas["staff_a"],
            name=f"项目{len(self.projects)}",
            participating_departments=["prov"],
            joint_central_local=joint,
        )
        assignment_add(actor=self.personas["ndrc"], project_id=p.pk, username="archivist_assigned", task="archivist")
        self.projects.append(p)

    def transition(self, i: int, steps: int, back_days: int) -> None:
        for _ in range(steps):
            self._step(i, back_days)

    def _step(self, i: int, back_days: int) -> None:
        from egovpm.projects.services import project_transition

        p = self.project(i)
        step = next((s for s in STEPS if s[2] == p.stage), None)
        if step is None:
            return
        action, who, _ = step
        last = p.events.order_by("-seq").values_list("effective_date", flat=True).first()
        day = max(self.today() - dt.timedelta(days=back_days), last or dt.date(2000, 1, 1))
        ready_for(p, action, day)
        project_transition(
            actor=self.personas[who],
            project_id=p.pk,
            action=action,
            effective_date=day,
            approval_reference="发改高技〔2025〕1号" if action.startswith("approve") else "",
        )

    def report(self, i: int) -> None:
        from egovpm.reports.services import report_submit

        p = self.project(i)
        sections = {
            "progress": "按计划推进。",
            "content": "一期建设。",
            "tendering": "公开招标。",
            "budget_execution": "完成投资。",
            "problems": "无。",
        }
        for year in range(2024, self.today().year + 1):
            for period in (f"{year}-H1", f"{year}"):
                try:
                    report_submit(actor=self.personas["staff_a"], project_id=p.pk, period=period, sections=sections)
                    return
                except DomainError:
                    continue

    def system(self, i: int, target_days: int, level: int) -> None:
        from egovpm.security.services import system_create

        p = self.project(i)
        system_create(
            actor=self.personas["staff_a"],
            project_id=p.pk,
            data={
                "name": f"已建服务系统{target_days}",
                "purpose": "public_service",
                "network": "internet",
                "is_new": False,
                "protection_level": level,
                "protection_in_needs_analysis": True,
                "protection_in_design": True,
                "migration_target_date": (self.today() + dt.timedelta(days=target_days)).isoformat(),
            },
        )

    def risk(self, i: int) -> None:
        from egovpm.security.services import risk_assessment_record

        risk_assessment_record(
            actor=self.personas["staff_a"],
            project_id=self.project(i).pk,
            assessed_on=self.today(),
            assessor="某测评中心",
            summary="未发现高风险问题。",
        )

    def archive(self, i: int, passed: bool) -> None:
        from egovpm.archives.services import archive_acceptance_record

        archive_acceptance_record(
            actor=self.personas["archivist_assigned"],
            project_id=self.project(i).pk,
            accepted_on=self.today(),
            organizer="国家档案局",
            result="passed" if passed else "failed",
            opinion="档案齐全。",
        )

    def adjust(self, i: int) -> None:
        from egovpm.budgets.models import EstimateLine
        from egovpm.budgets.services import LineIn, adjustment_create

        p = self.project(i)
        lines = list(EstimateLine.objects.filter(estimate__project=p).order_by("code")[:2])
        if len(lines) < 2:
            return
        first, second = lines
        step = (first.amount / 50).quantize(Decimal("0.01"))
        adjustment_create(
            actor=self.personas["staff_a"],
            project_id=p.pk,
            items=[LineIn(first.code, "", first.amount - step), LineIn(second.code, "", second.amount + step)],
            goals_unchanged=True,
            reason="optimization",
            description="优化技术方案",
        )

    def edit(self, i: int, rollback: bool) -> None:
        from egovpm.projects.services import project_update

        p = self.project(i)
        with contextlib.suppress(Rollback), transaction.atomic():
            project_update(
                actor=self.personas["staff_a"],
                project_id=p.pk,
                changes={"business_unit": "" if p.business_unit else "业务司"},
            )
            if rollback:
                raise Rollback

    def move(self, days: int) -> None:
        self.now += dt.timedelta(days=days)
        self.clock.set_now(self.now)


project_index = st.integers(0, 3)
step = st.one_of(
    st.tuples(st.just("create"), st.booleans()),
    st.tuples(st.just("transition"), project_index, st.integers(1, 6), st.integers(0, 60)),
    st.tuples(st.just("transition"), project_index, st.integers(1, 6), st.integers(0, 60)),
    st.tuples(st.just("report"), project_index),
    st.tuples(st.just("system"), project_index, st.integers(0, 90), st.sampled_from([1, 2, 3])),
    st.tuples(st.just("risk"), project_index),
    st.tuples(st.just("archive"), project_index, st.booleans()),
    st.tuples(st.just("adjust"), project_index),
    st.tuples(st.just("edit"), project_index, st.booleans()),
    st.tuples(st.just("read")),
)
# after each change the date moves (or not): a day, past a due date, into a new year, sometimes back
move = st.sampled_from([0, 0, 1, 7, 30, 45, 90, 120, 200, 400, -3, -40])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(step, move), min_size=3, max_size=12))
def test_stored_verdicts_equal_a_full_evaluation(
    steps: list[tuple[Any, ...]], personas: dict[str, Any], clock: Any
) -> None:
    with contextlib.suppress(Rollback), transaction.atomic():  # each example starts from nothing
        world = World(personas, clock)
        world.create(False)
        for (name, *args), days in steps:
            if name != "read":
                try:
                    getattr(world, name)(*args)
                    event(f"{name} done")
                except DomainError:  # a refused change changes nothing
                    event(f"{name} refused")
            for when in ("after the change", "after the date moved"):
                selectors.ensure_fresh()
                for p in world.projects:
                    expected = full(p)
                    assert stored(p) == expected, (name, args, when, world.today())
                    event(f"health {expected['health']}")
                world.move(days)
        raise Rollback
