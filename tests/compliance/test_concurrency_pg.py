"""The stored verdicts under concurrent writers (PostgreSQL only: SQLite serialises every write).

- the bump is one upsert: writers that create a project's row at the same moment, or bump it
  together, all succeed and every bump counts; and the row ends fresh without a read: a refresh
  that skipped it found it held by another refresh, which evaluates it again under its lock when
  its generation moved (this test failed once in CI before that, on 1 December 2026);
- a refresh never waits for a change in flight: it skips the row that change holds (it stays
  stale) and the next read refreshes it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from conftest import make_project
from egovpm.compliance import selectors, services
from egovpm.compliance.models import ProjectVerdict
from projects.test_concurrency_pg import TIMEOUT, run_together

from .helpers import full, is_fresh, stored

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL (run in the PostgreSQL pass)")


def test_concurrent_first_bumps_create_one_row_and_count_every_bump(personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"])
    ProjectVerdict.objects.filter(pk=p.pk).delete()  # as if the project came from a bulk seed

    def bump() -> None:
        with transaction.atomic():
            services.project_changed(str(p.pk))
            services.project_changed(str(p.pk))

    outcomes = run_together([bump] * 4)
    assert [o for o, _ in outcomes] == ["ok"] * 4, outcomes
    row = ProjectVerdict.objects.get(pk=p.pk)
    assert row.generation == 8  # the first created it at 1
    assert is_fresh(p) and stored(p) == full(p)  # each commit's refresh, or the last of them, wrote it


def test_a_refresh_skips_the_row_a_change_in_flight_holds(personas: dict[str, Any]) -> None:
    p, q = make_project(personas["staff_a"]), make_project(personas["staff_b"])
    ProjectVerdict.objects.filter(pk__in=[p.pk, q.pk]).update(evaluated_generation=0)
    holding, release = threading.Event(), threading.Event()

    def change_in_flight() -> None:
        from egovpm.projects.services import project_update

        with transaction.atomic():
            project_update(actor=personas["staff_a"], project_id=p.pk, changes={"business_unit": ""})
            holding.set()
            assert release.wait(TIMEOUT)

    def refresh_meanwhile() -> tuple[int, int]:
        assert holding.wait(TIMEOUT)
        try:
            written = services.refresh(project_ids=[p.pk, q.pk])  # must not wait for the change
            return written, ProjectVerdict.objects.get(pk=p.pk).evaluated_generation
        finally:
            release.set()

    outcomes = run_together([change_in_flight, refresh_meanwhile])
    assert [o for o, _ in outcomes] == ["ok", "ok"], outcomes
    assert outcomes[1][1] == (1, 0)  # q written; p skipped, still never evaluated
    assert is_fresh(q)
    selectors.ensure_fresh()  # (the change's own after-commit refresh may have done it already)
    assert is_fresh(p) and stored(p) == full(p) and ("C2.1", "fail") in stored(p)["failing"]


def test_the_stale_index_answers_the_staleness_query() -> None:
    from django.db.models import F, Q

    rows = ProjectVerdict.objects.filter(~Q(evaluated_generation=F("generation")))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = rows.values_list("pk", flat=True).explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "verdict_stale" in plan, plan
