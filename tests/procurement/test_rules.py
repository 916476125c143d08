"""C5.1, C5.2 and C11.1 over procurement facts (domain.md §11.1, §11.2, §12): the tender threshold
is inclusive and per category, a reason or tendering clears it, the messages name the items; the
shares are shown; the delivery modes are listed with their providers; the facts come from the
records as of a date, with the horizon at the first contract dated later."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from egovpm.procurement.shares import shares
from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_procurement import DeliveryModeFact, ProcurementFacts, ProcurementItemFact

from .helpers import body, url

TODAY = dt.date(2026, 11, 20)
BASE = ProjectFacts(stage="construction", lead_department_kind="central")


def item(
    amount: str, method: str = "single_source", category: str = "basic_software", reason: str = "", secure: bool = False
) -> ProcurementItemFact:
    return ProcurementItemFact(category, method, "核心数据库", Decimal(amount), secure, reason, dt.date(2026, 1, 5))


def judge(rule_id: str, *items: ProcurementItemFact, modes: tuple[DeliveryModeFact, ...] = ()) -> engine.Result:
    facts = dataclasses.replace(
        BASE,
        procurement=ProcurementFacts(
            items=items, shares=shares((i.category, i.amount, i.secure_controllable) for i in items), modes=modes
        ),
    )
    pack = engine.load_pack("r2007")
    return engine.evaluate_rule(pack, pack.rule(rule_id), facts, Context(as_of=TODAY))


@pytest.mark.parametrize(
    ("amount", "category", "status"),
    [
        ("1999999.99", "basic_software", "not_applicable"),  # below: nothing due
        ("2000000.00", "basic_software", "fail"),  # "以上" includes the figure
        ("2000000.00", "other", "fail"),
        ("999999.99", "application_software", "not_applicable"),
        ("1000000.00", "application_software", "fail"),
        ("1999999.99", "application_software", "fail"),
    ],
)
def test_c52_threshold_is_inclusive_per_category(amount: str, category: str, status: str) -> None:
    result = judge("C5.2", item(amount, category=category))
    assert result.status == status
    assert result.severity == "warning"


def test_c52_one_cent_below_passes_beside_a_tendered_one() -> None:
    result = judge("C5.2", item("1999999.99"), item("5000000.00", method="open_tender"))
    assert result.status == "pass"


def test_c52_a_reason_or_tendering_clears_it() -> None:
    assert judge("C5.2", item("2000000.00", reason="唯一供应商（专利）")).status == "pass"
    assert judge("C5.2", item("2000000.00", method="invited_tender")).status == "pass"
    assert judge("C5.2", item("2000000.00", reason="   ")).status == "fail"


def test_c52_names_the_items() -> None:
    result = judge("C5.2", item("2000000.00"), item("3000000.00", method="inquiry", category="other"))
    assert result.status == "fail"
    assert "核心数据库（2000000.00 元，单一来源）" in result.message_zh
    assert "3000000.00 yuan, inquiry" in result.message_en


def test_c52_and_c51_without_procurement_say_so() -> None:
    assert judge("C5.2").status == "not_applicable"
    assert judge("C5.1").status == "not_applicable"


def test_c51_shows_the_shares() -> None:
    result = judge("C5.1", item("100.00", secure=True), item("300.00"), item("50.00", category="other", secure=True))
    assert result.status == "pass" and result.severity == "info"
    assert "基础软件 金额 100.00/400.00 元（25.00%），数量 1/2 项（50.00%）" in result.message_zh
    assert "the five together: amount 100.00/400.00 yuan (25.00%)" in result.message_en


def test_c111_lists_modes_with_providers() -> None:
    modes = (
        DeliveryModeFact("service_outsourcing", "某服务公司", "运维"),
        DeliveryModeFact("data_hosting", "某云", "托管"),
    )
    result = judge("C11.1", modes=modes)
    assert result.status == "pass"
    assert "服务外包（某服务公司）" in result.message_zh and "data hosting (某云)" in result.message_en
    assert "none" in judge("C11.1").message_en


@pytest.mark.django_db
def test_facts_from_records_as_of_and_horizon(api: Any, project: Any) -> None:
    from egovpm.projects.facts import project_facts

    api("staff_a").post(url(project), body(contract_date="2026-01-05"), format="json")
    api("staff_a").post(
        url(project), body(contract_date="2026-06-01", amount="2500000.00", method="single_source"), format="json"
    )
    api("staff_a").put(
        url(project, "delivery-modes"),
        {"modes": [{"mode": "data_hosting", "provider": "某云", "scope": "托管"}]},
        format="json",
    )
    early = project_facts(project=project, as_of=dt.date(2026, 3, 1))
    assert len(early.procurement.items) == 1  # type: ignore[attr-defined]
    assert early.horizon == dt.date(2026, 6, 1)
    assert early.procurement.modes[0].provider == "某云"  # type: ignore[attr-defined]
    late = project_facts(project=project, as_of=TODAY)
    assert len(late.procurement.items) == 2  # type: ignore[attr-defined]
    r = api("ndrc").get(f"/api/v1/projects/{project.pk}/compliance").json()
    verdicts = {x["rule"]: x for x in r["results"]}
    assert verdicts["C5.2"]["status"] == "fail"
    assert verdicts["C5.1"]["status"] == "pass"
    assert "某云" in verdicts["C11.1"]["message"]
