"""The freshness check of the stored verdicts (ADR 0013): one indexed query whatever the caller's
scope, because every project has its verdict row by construction (its creation, seed-synthetic)
and a stale row outside the scope is simply refreshed too."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_project
from egovpm.compliance import selectors
from egovpm.compliance.models import ProjectVerdict
from egovpm.core import clock
from egovpm.projects.models import Project

from .helpers import full, is_fresh, stored

pytestmark = pytest.mark.django_db


def _stale(*projects: Any) -> None:
    ProjectVerdict.objects.filter(pk__in=[p.pk for p in projects]).update(evaluated_generation=0)


def test_a_project_saved_outside_the_service_still_has_its_row(personas: dict[str, Any]) -> None:
    staff = personas["staff_a"]
    now = clock.now()
    p = Project.objects.create(
        code="2026-110000-01-01-999999",
        name="不经服务创建的项目",
        lead_department=staff.department,
        created_at=now,
        updated_at=now,
        created_by=staff,
    )
    row = ProjectVerdict.objects.get(pk=p.pk)  # made in the transaction that saved the project
    assert row.evaluated_generation == 0 and not is_fresh(p)
    selectors.ensure_fresh()
    assert is_fresh(p) and stored(p) == full(p)


def test_nothing_stale_costs_one_query_and_never_reads_the_scope(personas: dict[str, Any]) -> None:
    p, q = make_project(personas["staff_a"]), make_project(personas["staff_b"])
    selectors.ensure_fresh()  # (the once-a-process checks: another pack, rows missing)
    project_table = connection.ops.quote_name(Project._meta.db_table)
    for scope in (None, [p], [p.pk, q.pk], Project.objects.filter(lead_department=p.lead_department)):
        with CaptureQueriesContext(connection) as ctx:
            assert selectors.ensure_fresh(scope) == 0
        assert len(ctx.captured_queries) == 1, (scope, ctx.captured_queries)
        assert project_table not in ctx.captured_queries[0]["sql"]


def test_a_stale_verdict_outside_the_scope_is_refreshed_with_it(personas: dict[str, Any]) -> None:
    p, q = make_project(personas["staff_a"]), make_project(personas["staff_b"], responsible_leader_name="")
    _stale(p, q)
    assert selectors.ensure_fresh([p]) == 2
    assert is_fresh(p) and is_fresh(q) and stored(q) == full(q)


def test_when_very_many_are_stale_a_read_refreshes_its_scope_first(personas: dict[str, Any], monkeypatch: Any) -> None:
    p, q = make_project(personas["staff_a"]), make_project(personas["staff_b"])
    _stale(p, q)
    monkeypatch.setattr(selectors, "BOUND", 1)
    assert selectors.ensure_fresh(Project.objects.filter(lead_department=p.lead_department)) == 1
    assert is_fresh(p) and not is_fresh(q)
    assert selectors.ensure_fresh([q]) == 1
    assert is_fresh(q) and stored(q) == full(q)


def test_a_row_lost_anyway_is_found_once_a_process_and_on_the_list(
    personas: dict[str, Any], client: Any, monkeypatch: Any
) -> None:
    from conftest import PASSWORD

    p = make_project(personas["staff_a"], responsible_leader_name="")
    ProjectVerdict.objects.filter(pk=p.pk).delete()  # as if written by a path that bypassed Django
    monkeypatch.setattr(selectors, "_rows_checked", False)
    assert p.pk in selectors.stale_ids()
    selectors.ensure_fresh()
    assert stored(p) == full(p)

    ProjectVerdict.objects.filter(pk=p.pk).delete()  # now the check has run: the page repairs its rows
    assert client.login(username=personas["staff_a"].username, password=PASSWORD)
    rows = {r["project"].pk: r["compliance"] for r in client.get("/projects/").context["rows"]}
    assert rows[p.pk] == {"bad": full(p)["bad"], "warn": full(p)["warn"]} and rows[p.pk]["bad"] == 1


def test_seed_synthetic_gives_every_project_a_stale_row() -> None:
    from egovpm.ops.synthetic import seed

    seed(projects=4, password="Synthetic-pass-1")
    rows = ProjectVerdict.objects.all()
    assert rows.count() == Project.objects.count() == 4
    assert {(r.generation, r.evaluated_generation) for r in rows} == {(1, 0)}
    assert selectors.ensure_fresh() == 4
    for p in Project.objects.all():
        assert is_fresh(p) and stored(p) == full(p)
