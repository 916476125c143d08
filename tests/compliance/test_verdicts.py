"""The stored verdicts (ADR 0013): health, invalidation in the change's transaction, the generation
race, rollbacks, verdicts that turn with the date alone, the refresh hook, the list badges, the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from conftest import NOW, advance, make_project
from egovpm.audit.models import AuditEvent
from egovpm.compliance import selectors, services
from egovpm.compliance.models import ProjectVerdict, RuleFailure
from egovpm.projects.services import project_update

from .helpers import full, is_fresh, stored

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], ("green", 0, 0)),
        ([("pass", "gate"), ("not_applicable", "violation"), ("not_applicable", "warning")], ("green", 0, 0)),
        ([("fail", "warning"), ("fail", "info"), ("pass", "gate")], ("amber", 0, 2)),
        ([("fail", "gate"), ("fail", "warning")], ("red", 1, 1)),
        ([("fail", "violation")], ("red", 1, 0)),
        # fail-closed: a check that errors counts as bad whatever its severity
        ([("error", "warning"), ("pass", "gate")], ("red", 1, 0)),
    ],
)
def test_health_and_badge_counts(results: list[tuple[str, str]], expected: tuple[str, int, int]) -> None:
    assert services.counts(results) == expected


def test_a_new_project_has_a_stale_row_then_the_read_refreshes_it(personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"], responsible_leader_name="")
    row = ProjectVerdict.objects.get(pk=p.pk)
    assert row.evaluated_generation == 0 and not is_fresh(p)
    assert selectors.ensure_fresh([p]) == 1
    assert is_fresh(p) and stored(p) == full(p)
    assert stored(p)["failing"] == [("C2.1", "fail")]  # the leader's name is missing: a violation
    assert selectors.ensure_fresh() == 0  # nothing stale any more: nothing is evaluated again


def test_every_audited_change_bumps_the_generation_in_its_transaction(personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"])
    selectors.ensure_fresh([p])
    before = ProjectVerdict.objects.get(pk=p.pk).generation
    project_update(actor=personas["staff_a"], project_id=p.pk, changes={"responsible_leader_name": ""})
    row = ProjectVerdict.objects.get(pk=p.pk)
    assert row.generation == before + 1 and row.evaluated_generation == before
    assert not is_fresh(p)
    selectors.ensure_fresh([p])
    assert stored(p) == full(p) and stored(p)["health"] == "red"


class Boom(Exception):
    pass


def test_a_rolled_back_change_leaves_the_verdict_fresh_and_unchanged(personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"])
    selectors.ensure_fresh([p])
    row = ProjectVerdict.objects.get(pk=p.pk)
    with pytest.raises(Boom), transaction.atomic():
        project_update(actor=personas["staff_a"], project_id=p.pk, changes={"business_unit": ""})
        raise Boom
    again = ProjectVerdict.objects.get(pk=p.pk)
    assert (again.generation, again.evaluated_generation, again.results, again.health) == (
        row.generation,
        row.evaluated_generation,
        row.results,
        row.health,
    )
    assert is_fresh(p) and stored(p) == full(p)


def _facts_then_a_change(monkeypatch: Any, actor: Any, p: Any, leaders: list[str]) -> list[int]:
    """Make the refresh's facts reads commit a change of `p` after reading (its responsible leader
    becomes the next of `leaders`, while there is one): a change committed between reading the
    generation and locking the row to write it."""
    original, calls = services.project_facts_batch, []

    def facts_then_a_change(**kwargs: Any) -> Any:
        facts = original(**kwargs)  # the facts as they were when the generation was read ...
        calls.append(1)
        if len(calls) <= len(leaders):  # ... and a change that commits before the verdict is written
            project_update(actor=actor, project_id=p.pk, changes={"responsible_leader_name": leaders[len(calls) - 1]})
        return facts

    monkeypatch.setattr(services, "project_facts_batch", facts_then_a_change)
    return calls


def test_a_change_committed_between_reading_and_locking_is_read_again_under_the_lock(
    personas: dict[str, Any], monkeypatch: Any
) -> None:
    p = make_project(personas["staff_a"])
    calls = _facts_then_a_change(monkeypatch, personas["staff_a"], p, [""])
    assert services.refresh(project_ids=[p.pk]) == 1  # not left to the change's own refresh
    assert len(calls) == 2  # the moved row's facts were read again
    assert is_fresh(p) and stored(p) == full(p) and stored(p)["failing"] == [("C2.1", "fail")]


def test_a_change_after_every_read_keeps_the_row_stale(personas: dict[str, Any], monkeypatch: Any) -> None:
    p = make_project(personas["staff_a"])
    calls = _facts_then_a_change(monkeypatch, personas["staff_a"], p, ["", "王五"])
    services.refresh(project_ids=[p.pk])
    assert len(calls) == 2
    row = ProjectVerdict.objects.get(pk=p.pk)
    assert row.evaluated_generation != row.generation and not is_fresh(p)  # never mark stale data fresh
    monkeypatch.undo()
    selectors.ensure_fresh([p])
    assert is_fresh(p) and stored(p) == full(p) and stored(p)["failing"] == []  # the leader named again


def test_a_report_due_date_passing_turns_the_verdict_without_any_write(personas: dict[str, Any], clock: Any) -> None:
    # in construction since 1 March 2025: the first half of 2026 is due on 31 July 2026
    clock.set_now(dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC))
    p = advance(make_project(personas["staff_a"]), personas, "construction", start=dt.date(2024, 11, 1))
    from egovpm.reports.services import report_submit

    sections = {"progress": "推进。", "content": "一期。", "tendering": "招标。", "budget_execution": "投资。"}
    sections["problems"] = "无。"
    for period in ("2025-H1", "2025"):
        report_submit(actor=personas["staff_a"], project_id=p.pk, period=period, sections=sections)
    clock.set_now(dt.datetime(2026, 7, 31, 15, 59, tzinfo=dt.UTC))  # 23:59 on 31 July in Beijing
    selectors.ensure_fresh()
    c41 = next(r for r in stored(p)["results"] if r["rule"] == "C4.1")
    assert c41["status"] == "pass"
    assert ProjectVerdict.objects.get(pk=p.pk).valid_until == dt.date(2026, 7, 31)
    events = AuditEvent.objects.count()
    clock.set_now(dt.datetime(2026, 7, 31, 16, 0, tzinfo=dt.UTC))  # 00:00 on 1 August: overdue
    assert not is_fresh(p)
    selectors.ensure_fresh()
    assert AuditEvent.objects.count() == events  # no record changed
    c41 = next(r for r in stored(p)["results"] if r["rule"] == "C4.1")
    assert c41["status"] == "fail" and ("C4.1", "fail") in stored(p)["failing"]
    assert stored(p) == full(p)


def test_a_migration_plan_holds_until_its_target_date(personas: dict[str, Any], clock: Any) -> None:
    from egovpm.security.services import system_create

    p = make_project(personas["staff_a"])
    target = NOW.date() + dt.timedelta(days=10)
    system_create(
        actor=personas["staff_a"],
        project_id=p.pk,
        data={
            "name": "已建服务系统",
            "purpose": "public_service",
            "network": "internet",
            "is_new": False,
            "protection_level": 2,
            "migration_target_date": target.isoformat(),
        },
    )
    selectors.ensure_fresh([p])
    assert ProjectVerdict.objects.get(pk=p.pk).valid_until <= target
    clock.set_now(dt.datetime.combine(target + dt.timedelta(days=1), dt.time(2), tzinfo=dt.UTC))
    selectors.ensure_fresh([p])
    assert stored(p) == full(p)
    assert ("C9.3", "fail") in stored(p)["failing"]


@pytest.mark.parametrize("other", ["0" * 64, "f" * 64, ""], ids=["below", "above", "none"])
def test_a_verdict_from_another_pack_is_refreshed(personas: dict[str, Any], monkeypatch: Any, other: str) -> None:
    """Whichever side of the current digest the old one sorts on (the staleness query asks the
    ranges around the current digests), and a row never evaluated with any pack."""
    p = make_project(personas["staff_a"])
    selectors.ensure_fresh([p])
    ProjectVerdict.objects.filter(pk=p.pk).update(pack_sha256=other, health="green", bad=0)
    RuleFailure.objects.filter(project_id=p.pk).delete()
    monkeypatch.setattr(selectors, "_pack_checked", False)
    assert p.pk in selectors.stale_ids()
    selectors.ensure_fresh()
    assert stored(p) == full(p)


def test_the_refresh_hook_gets_the_written_projects_and_their_facts(personas: dict[str, Any]) -> None:
    p, q = make_project(personas["staff_a"]), make_project(personas["staff_b"])
    calls: list[tuple[set[Any], dt.date, list[Any]]] = []

    def hook(facts_by_pk: dict[Any, Any], as_of: dt.date, pks: list[Any]) -> None:
        assert transaction.get_connection().in_atomic_block
        calls.append((set(facts_by_pk), as_of, sorted(pks, key=str)))

    services.register_refresh_hook(hook)
    try:
        services.refresh(project_ids=[p.pk, q.pk], as_of=dt.date(2026, 11, 1))
    finally:
        services._refresh_hooks.remove(hook)
    assert calls == [({p.pk, q.pk}, dt.date(2026, 11, 1), sorted([p.pk, q.pk], key=str))]


def test_the_list_badges_are_the_stored_counts(personas: dict[str, Any], client: Any) -> None:
    from conftest import PASSWORD

    bad = make_project(personas["staff_a"], name="缺负责人项目", responsible_leader_name="")
    good = make_project(personas["staff_a"], name="齐全项目")
    assert client.login(username=personas["staff_a"].username, password=PASSWORD)
    rows = {r["project"].pk: r["compliance"] for r in client.get("/projects/").context["rows"]}
    # the read refreshed them; the badges are the counts of a full evaluation
    for p in (bad, good):
        assert stored(p) == full(p)
        assert rows[p.pk] == {"bad": full(p)["bad"], "warn": full(p)["warn"]}
    assert rows[bad.pk]["bad"] == 1


@pytest.mark.django_db(transaction=True)
def test_after_commit_the_changed_project_is_refreshed_without_a_read(personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"])
    assert is_fresh(p)  # the refresh ran once the creation committed
    project_update(actor=personas["staff_a"], project_id=p.pk, changes={"technical_unit": ""})
    assert is_fresh(p) and stored(p) == full(p)
    assert ("C2.1", "fail") in stored(p)["failing"]
