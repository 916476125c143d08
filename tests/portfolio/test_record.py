"""The department record (履约档案, domain.md §11.4): its figures for a hand-built department — moa
leads two projects, one in construction since 2026-03-01 without any progress report (its 2026-H1
report, due 2026-07-31, is overdue: C4.1 fails) and with an adjustment on each route; moa also
takes part in a project of mob, which is not moa's record — today and on past dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from egovpm.accounts.models import Department

pytestmark = pytest.mark.django_db

STATES = ("pending", "approved", "rejected", "withdrawn", "stale")


@pytest.fixture
def world(personas: dict[str, Any]) -> dict[str, Any]:
    from budgets.conftest import actors, advance, decide, put_estimate, request
    from conftest import make_project

    who = actors(personas)
    building = make_project(personas["staff_a"], name="甲部委在建项目")
    building = advance(building, who, "preliminary_design", start=dt.date(2025, 10, 1))
    put_estimate(building, personas["staff_a"])
    building = advance(building, who, "construction", start=dt.date(2026, 3, 1))
    # 5 % moved, goals unchanged: the department approves it itself
    own = request(personas["staff_a"], building, {"01": "650000.00", "02": "250000.00"})
    decide(personas["leader_a"], own)
    # over 15 % and the goals change: NDRC's, still pending
    request(personas["staff_a"], building, {"01": "900000.00", "02": "0.00"}, goals_unchanged=False)
    draft = make_project(personas["staff_a"], name="甲部委草稿项目")
    joined = make_project(personas["staff_b"], name="乙部委牵头项目", participating_departments=["moa"])
    return {"building": building, "draft": draft, "joined": joined}


def _record(as_of: dt.date | None = None) -> dict[str, Any]:
    """The record computed afresh: some records here are written with the ORM alone, not audited,
    so they do not move the stamp today's record is kept under (in use every write is audited)."""
    from django.core.cache import cache

    from egovpm.portfolio.record import record_of

    cache.clear()

    return record_of(Department.objects.get(code="moa"), as_of)


def _failing_now(project: Any, day: dt.date) -> set[str]:
    """The rules a full evaluation of the project fails on `day` (the compliance check's own path)."""
    from egovpm.projects.selectors import project_compliance

    return {r.rule for r in project_compliance(project=project, as_of=day)["results"] if r.status in ("fail", "error")}


def test_the_projects_it_leads_by_stage_never_those_it_joins(world: dict[str, Any]) -> None:
    data = _record()
    assert data["projects"]["total"] == 2
    assert data["projects"]["by_stage"] == {"draft": 1, "construction": 1}
    codes = sorted([world["building"].code, world["draft"].code])
    assert [p["code"] for p in data["projects"]["results"]] == codes
    assert world["joined"].code not in str(data)


def test_overdue_report_and_failing_rule_by_clause(world: dict[str, Any]) -> None:
    data = _record()
    building = world["building"]
    assert data["reports"]["overdue"] == 1
    assert data["reports"]["overdue_items"] == [
        {
            "id": str(building.pk),
            "code": building.code,
            "name": "甲部委在建项目",
            "period": "2026-H1",
            "due": "2026-07-31",
        }
    ]
    assert data["rules_failing"]["by_clause"]["四"]["rules"]["C4.1"] == 1
    # every rule the two projects fail, and nothing else, counted once per project
    expected: dict[str, int] = {}
    for p in (building, world["draft"]):
        for rule in _failing_now(p, dt.date(2026, 11, 20)):
            expected[rule] = expected.get(rule, 0) + 1
    counted = {r: n for clause in data["rules_failing"]["by_clause"].values() for r, n in clause["rules"].items()}
    assert counted == expected
    assert data["rules_failing"]["failures"] == sum(expected.values())


def test_adjustments_by_route_and_state(world: dict[str, Any]) -> None:
    data = _record()
    assert data["adjustments"] == {
        "self_approval": {s: int(s == "approved") for s in STATES},
        "ndrc_approval": {s: int(s == "pending") for s in STATES},
    }


def test_a_past_date_judges_the_records_dated_by_then(world: dict[str, Any]) -> None:
    # the 2026-H1 report is due 2026-07-31 inclusive: not overdue that day, overdue the next
    on_due = _record(dt.date(2026, 7, 31))
    after = _record(dt.date(2026, 8, 1))
    assert on_due["today"] is False and on_due["reports"]["overdue"] == 0
    assert "C4.1" not in str(on_due["rules_failing"])
    assert after["reports"]["overdue"] == 1
    assert after["reports"]["overdue_items"][0]["period"] == "2026-H1"
    assert after["rules_failing"]["by_clause"]["四"]["rules"] == {"C4.1": 1}
    # the adjustments were requested on 2026-11-20: none yet on 2026-08-01
    assert all(n == 0 for states in after["adjustments"].values() for n in states.values())
    # on 2026-02-01 the project was in preliminary design (approved into construction 2026-03-01),
    # and the draft, created on 2026-11-20, did not exist yet
    february = _record(dt.date(2026, 2, 1))
    assert february["projects"]["by_stage"] == {"preliminary_design": 1}


def test_a_project_created_after_the_date_does_not_count(world: dict[str, Any]) -> None:
    # the draft was created on 2026-11-20 (the test clock) with no earlier stage event
    data = _record(dt.date(2026, 11, 19))
    assert data["projects"]["total"] == 1
    assert data["projects"]["results"][0]["code"] == world["building"].code


def test_procurement_shares_of_the_projects_it_leads(world: dict[str, Any], personas: dict[str, Any]) -> None:
    from django.apps import apps

    assert apps.is_installed("egovpm.procurement")
    from egovpm.core import clock
    from egovpm.procurement.models import Procurement

    empty = _record()["procurement_shares"]
    assert empty["key_total"]["count_total"] == 0
    assert empty["key_total"]["amount_share"] is None and empty["key_total"]["count_share"] is None

    def buy(project: Any, category: str, amount: str, secure: bool, day: dt.date = dt.date(2026, 5, 1)) -> None:
        now = clock.now()
        Procurement.objects.create(
            project=project,
            category=category,
            method="open_tender",
            subject="设备",
            amount=Decimal(amount),
            supplier="某公司",
            supplier_credit_code="91110000100000000X",
            contract_no=f"HT-{amount}",
            contract_date=day,
            secure_controllable=secure,
            secure_controllable_basis="产品目录" if secure else "",
            created_at=now,
            created_by=personas["staff_a"],
            updated_at=now,
            updated_by=personas["staff_a"],
        )

    buy(world["building"], "basic_software", "300000.00", True)
    buy(world["building"], "info_security_equipment", "100000.00", False)
    buy(world["draft"], "other", "999999.00", True)  # not a key category
    buy(world["joined"], "basic_software", "500000.00", False)  # mob's project: not moa's record
    shares = _record()["procurement_shares"]
    assert shares["key_total"]["amount_total"] == "400000.00"
    assert shares["key_total"]["amount_share"] == "0.75"  # 300,000 of 400,000
    assert shares["key_total"]["count_share"] == "0.5"
    assert shares["categories"]["basic_software"]["amount_share"] == "1"
    assert shares["categories"]["other"]["count_total"] == 1
    # on a past date only the contracts signed by then count
    buy(world["building"], "basic_software", "100000.00", False, day=dt.date(2026, 3, 1))
    before = _record(dt.date(2026, 4, 30))["procurement_shares"]
    assert before["key_total"]["amount_total"] == "100000.00"
    assert before["key_total"]["amount_share"] == "0" and before["key_total"]["count_share"] == "0"
    assert _record(dt.date(2026, 2, 28))["procurement_shares"]["key_total"]["count_share"] is None
    assert _record()["procurement_shares"]["key_total"]["amount_share"] == "0.6"  # 300,000 of 500,000


def test_sections_of_modules_not_installed_are_null_never_invented(world: dict[str, Any]) -> None:
    from egovpm.portfolio import record

    data = _record()
    for name in ("rectifications", "post_evaluations"):
        if not record.recorded(name):
            assert data[name] is None
