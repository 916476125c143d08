"""Adjustment requests, routing boundaries, decisions, re-routing, staleness and re-baselining
(domain.md §5) through the services and the API."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from .conftest import B, decide, lines_of, request

pytestmark = pytest.mark.django_db


def test_exactly_15_percent_is_self_approval_one_cent_more_is_not(built: Any, personas: dict[str, Any]) -> None:
    staff = personas["staff_a"]
    ok = request(staff, built, {"01": "450000.00", "02": "450000.00"})
    assert (ok.route, ok.moved, ok.ratio, ok.cumulative_ratio, ok.failed) == (
        "self_approval",
        D("150000.00"),
        "0.15",
        "0.15",
        [],
    )
    over = request(staff, built, {"01": "449999.99", "02": "450000.01"})
    assert over.route == "ndrc_approval"
    assert over.failed == ["over_15_percent"]
    assert over.ratio == "0.15000001"  # never rounded into the passing side
    assert over.status == "pending"


def test_cumulative_over_several_self_approvals(built: Any, personas: dict[str, Any]) -> None:
    staff, leader = personas["staff_a"], personas["leader_a"]
    first = request(staff, built, {"01": "500000.00", "02": "400000.00"})  # 10 %
    decide(leader, first)
    second = request(staff, built, {"02": "350000.00", "03": "150000.00"})  # 5 % more → 15 % exactly
    assert (second.route, second.ratio, second.cumulative_ratio) == ("self_approval", "0.05", "0.15")
    decide(leader, second)
    third = request(staff, built, {"03": "149999.99", "01": "500000.01"})  # one cent more
    assert third.route == "ndrc_approval"
    assert third.failed == ["over_15_percent"]
    assert third.cumulative_ratio == "0.15000001"
    assert lines_of(built) == {"01": D("500000.00"), "02": D("350000.00"), "03": D("150000.00")}


def test_savings_only_cut_counts_as_moved(built: Any, personas: dict[str, Any]) -> None:
    cut = request(personas["staff_a"], built, {"02": "200000.00"})
    assert (cut.route, cut.moved, cut.new_total, cut.ratio) == ("self_approval", D("100000.00"), D("900000.00"), "0.1")
    decide(personas["leader_a"], cut)
    assert sum(lines_of(built).values()) == D("900000.00")  # below B, never above
    from egovpm.budgets.models import Estimate

    assert Estimate.objects.get(project=built).total == B  # a cut does not re-baseline


def test_new_sub_project(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as e:
        request(personas["staff_a"], built, {"04": "50000.00", "03": "50000.00"})
    assert "items[0].name" in e.value.details
    new = request(personas["staff_a"], built, {"04": "50000.00", "03": "50000.00"}, name_04="数据治理")
    assert (new.route, new.moved) == ("self_approval", D("50000.00"))
    item = new.items.get(code="04")
    assert (item.is_new, item.old_amount, item.name) == (True, D("0"), "数据治理")
    decide(personas["leader_a"], new)
    assert lines_of(built)["04"] == D("50000.00")


def test_every_failing_reason_at_once(built: Any, personas: dict[str, Any]) -> None:
    a = request(personas["staff_a"], built, {"01": "900000.00"}, reason="other", goals_unchanged=False)
    assert a.route == "ndrc_approval"
    assert a.failed == ["exceeds_total", "goals_changed", "over_15_percent", "reason_not_allowed"]
    assert (a.new_total, a.moved, a.ratio) == (D("1300000.00"), D("300000.00"), "0.3")


def test_ndrc_approval_rebaselines_and_restarts_the_count(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.models import Baseline

    staff, leader, ndrc = personas["staff_a"], personas["leader_a"], personas["ndrc"]
    decide(leader, request(staff, built, {"01": "500000.00", "02": "400000.00"}))  # 10 % self-approved
    big = request(staff, built, {"01": "700000.00"})  # exceeds the total
    assert big.failed == ["exceeds_total", "over_15_percent"]
    decide(ndrc, big, approval_reference="发改高技〔2026〕88号")
    assert [(b.seq, b.total, b.source) for b in Baseline.objects.filter(project=built)] == [
        (1, B, "preliminary_design"),
        (2, D("1200000.00"), "ndrc_adjustment"),
    ]
    assert Baseline.objects.get(project=built, seq=1).lines.get(code="01").amount == D("600000.00")  # history kept
    after = request(staff, built, {"01": "520000.00", "02": "580000.00"})  # 180 000 / 1 200 000 = 15 %
    assert (after.route, after.cumulative_ratio, after.baseline_total) == ("self_approval", "0.15", D("1200000.00"))


def test_ndrc_route_stays_with_ndrc(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.core.errors import Forbidden

    staff, leader = personas["staff_a"], personas["leader_a"]
    a = request(staff, built, {"01": "650000.00", "02": "250000.00"}, reason="other")
    assert a.route == "ndrc_approval"
    with pytest.raises(Forbidden):
        decide(leader, a)
    with pytest.raises(Forbidden):
        decide(personas["staff_a"], request(staff, built, {"03": "90000.00"}))  # staff may not self-approve


def test_self_approval_that_no_longer_qualifies_is_rerouted(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.audit.models import AuditEvent
    from egovpm.core.errors import Conflict

    staff, leader = personas["staff_a"], personas["leader_a"]
    first = request(staff, built, {"01": "500000.00", "02": "400000.00"})  # 10 %
    second = request(staff, built, {"03": "40000.00"})  # 6 % alone, 16 % after the first
    assert second.route == "self_approval"
    decide(leader, first)
    before = lines_of(built)
    with pytest.raises(Conflict) as e:
        decide(leader, second)
    assert e.value.code == "rerouted"
    assert e.value.details["failed"] == ["over_15_percent"]
    second.refresh_from_db()
    assert (second.route, second.requested_route, second.status) == ("ndrc_approval", "self_approval", "pending")
    assert second.cumulative_ratio == "0.16"
    assert lines_of(built) == before  # nothing about the estimate changed
    assert AuditEvent.objects.filter(action="adjustment.reroute", object_id=str(second.pk)).count() == 1
    decide(personas["ndrc"], second)  # NDRC decides it now
    second.refresh_from_db()
    assert second.status == "approved"


def test_stale_request_is_refused(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.core.errors import Conflict

    staff, leader = personas["staff_a"], personas["leader_a"]
    first = request(staff, built, {"01": "550000.00", "02": "350000.00"})
    second = request(staff, built, {"02": "280000.00"})  # names 02 too
    third = request(staff, built, {"03": "90000.00"})  # names another line: not stale
    decide(leader, first)
    before = lines_of(built)
    with pytest.raises(Conflict) as e:
        decide(leader, second)
    assert e.value.code == "stale_request"
    second.refresh_from_db()
    assert second.status == "stale"
    assert lines_of(built) == before
    decide(leader, third)
    assert lines_of(built)["03"] == D("90000.00")


def test_reject_and_withdraw_change_nothing(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.services import adjustment_withdraw
    from egovpm.core.errors import Conflict

    staff, leader = personas["staff_a"], personas["leader_a"]
    before = lines_of(built)
    a = request(staff, built, {"01": "590000.00", "02": "310000.00"})
    decide(leader, a, "reject", comment="理由不充分")
    b = request(staff, built, {"01": "590000.00", "02": "310000.00"})
    adjustment_withdraw(actor=staff, adjustment_id=b.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("rejected", "withdrawn")
    assert lines_of(built) == before
    with pytest.raises(Conflict):
        decide(leader, a)
    with pytest.raises(Conflict):
        adjustment_withdraw(actor=staff, adjustment_id=b.pk)
    # a rejected or withdrawn request does not count towards the 15 %
    c = request(staff, built, {"01": "450000.00", "02": "450000.00"})
    assert c.route == "self_approval"


def test_unchanged_or_duplicate_lines_are_refused(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.services import LineIn, adjustment_create
    from egovpm.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as e:
        request(personas["staff_a"], built, {"01": "600000.00"})
    assert "items[0].amount" in e.value.details
    with pytest.raises(InvalidInput):
        adjustment_create(
            actor=personas["staff_a"],
            project_id=built.pk,
            items=[LineIn("01", "", D("1")), LineIn("01", "", D("2"))],
            goals_unchanged=True,
            reason="optimization",
            description="x",
        )


def test_requests_only_in_construction(project: Any, personas: dict[str, Any]) -> None:
    from egovpm.core.errors import Conflict

    with pytest.raises(Conflict) as e:
        request(personas["staff_a"], project, {"01": "1.00"})
    assert e.value.code == "not_in_construction"


def test_amounts_are_ascii_decimal_strings_only() -> None:
    from egovpm.core.money import parse_amount

    for bad in ("100.00\n", "１００.00", "٣٠٠٠٠٠.00", "1e5", "-1.00", "1.001", 100):
        with pytest.raises(ValueError):
            parse_amount(bad)
    assert str(parse_amount("100")) == "100.00"


def test_a_request_to_spend_nothing_is_refused(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.models import Adjustment
    from egovpm.core.errors import InvalidInput

    codes = [line.code for line in built.estimate.lines.all()]
    with pytest.raises(InvalidInput):
        request(personas["staff_a"], built, dict.fromkeys(codes, "0.00"), reason="other")
    assert not Adjustment.objects.filter(project=built).exists()
