"""C4.1 and C4.2 on plain facts (rules/checks/r2007_reports.py): the pack's due dates, the
not-applicable cases, the messages in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts, StageEventFact
from egovpm.rules.facts_reports import BEIJING, ReportsFacts, ReportSubmissionFact

BASE = ProjectFacts(stage="construction", lead_department_kind="central")
EVENTS = (StageEventFact("approve_preliminary_design", "preliminary_design", "construction", dt.date(2025, 3, 1)),)


def judge(rule: str, facts: ProjectFacts, as_of: dt.date) -> engine.Result:
    pack = engine.load_pack("r2007")
    return engine.evaluate_rule(pack, pack.rule(rule), facts, Context(as_of=as_of))


@pytest.mark.parametrize("rule", ["C4.1", "C4.2"])
def test_without_report_records_the_rules_are_not_applicable(rule: str) -> None:
    result = judge(rule, dataclasses.replace(BASE, events=EVENTS), dt.date(2026, 11, 20))
    assert result.status == "not_applicable"
    assert "not part of the product yet" in result.message_en and result.message_zh


@pytest.mark.parametrize("rule", ["C4.1", "C4.2"])
def test_not_applicable_before_construction(rule: str) -> None:
    result = judge(rule, dataclasses.replace(BASE, reports=ReportsFacts()), dt.date(2026, 11, 20))
    assert result.status == "not_applicable" and "not been in construction" in result.message_en


def test_overdue_and_late() -> None:
    facts = dataclasses.replace(BASE, events=EVENTS, reports=ReportsFacts())
    assert judge("C4.1", facts, dt.date(2025, 7, 31)).status == "pass"
    overdue = judge("C4.1", facts, dt.date(2025, 8, 1))
    assert overdue.status == "fail" and overdue.blocks
    # the overdue half-year report, then the next deadline: the annual report of the same year
    assert (
        overdue.message_zh
        == "以下报告逾期未报：2025年上半年（应于2025年7月31日前）；下一期：2025年度（应于2026年1月31日前）"
    )
    assert overdue.message_en == "overdue reports: 2025-H1 (due 2025-07-31); next: 2025 (due 2026-01-31)"
    late = ReportSubmissionFact("2025-H1", 1, dt.datetime(2025, 8, 1, 0, 0, tzinfo=BEIJING))
    facts = dataclasses.replace(facts, reports=ReportsFacts((late,)))
    assert judge("C4.1", facts, dt.date(2025, 8, 1)).status == "pass"
    warning = judge("C4.2", facts, dt.date(2025, 8, 1))
    assert warning.status == "fail" and warning.severity == "warning"
    assert "2025年上半年" in warning.message_zh


def test_c4_rules_gate_no_action() -> None:
    pack = engine.load_pack("r2007")
    assert pack.rule("C4.1").gates == () and pack.rule("C4.2").gates == ()


def test_compliance_names_the_next_deadline(project, personas, api, clock) -> None:
    """The compliance panel shows what is coming, not only what is late (issue 4, item 6)."""
    import datetime as dt

    from conftest import advance

    advance(project, personas, "construction", start=dt.date(2026, 3, 2))
    body = api("staff_a").get(f"/api/v1/projects/{project.pk}/compliance?as_of=2026-11-20").json()
    c41 = next(r for r in body["results"] if r["rule"] == "C4.1")
    # 2026-H1 was due on 31 July 2026 (overdue by 20 November); the annual 2026 report is next
    assert "2027年1月31日" in c41["message_zh"]
    assert "2027-01-31" in c41["message_en"]
