"""Checks of the r2007 pack on plain facts, and the compliance report over the API (domain.md §12)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts, StageEventFact

TODAY = dt.date(2026, 11, 20)
COMPLETE = ProjectFacts(
    stage="draft",
    lead_department_kind="central",
    participating_department_kinds=("local",),
    responsible_leader_name="张三",
    responsible_leader_title="副部长",
    business_unit="业务司",
    technical_unit="信息中心",
)

# Rules whose records the product does not hold yet (no budget, reports, procurement, systems,
# risk assessments, archive acceptances, inspections, evaluations, expert reviews, filing scope).
NOT_YET = [
    "C8.1",
]


def judge(rule_id: str, facts: ProjectFacts, as_of: dt.date = TODAY) -> engine.Result:
    pack = engine.load_pack("r2007")
    return engine.evaluate_rule(pack, pack.rule(rule_id), facts, Context(as_of=as_of))


def ev(action: str, day: dt.date, reference: str = "") -> StageEventFact:
    return StageEventFact(action=action, from_stage="", to_stage="", effective_date=day, approval_reference=reference)


BASE_EVENTS = (
    ev("submit_needs_analysis", dt.date(2024, 1, 10)),
    ev("submit_proposal", dt.date(2024, 2, 10)),
)


# --- C1.1 ----------------------------------------------------------------------------------------


def test_c11_not_applicable_before_any_approval() -> None:
    assert judge("C1.1", COMPLETE).status == "not_applicable"
    assert judge("C1.1", dataclasses.replace(COMPLETE, events=BASE_EVENTS)).status == "not_applicable"


def test_c11_fails_naming_approvals_without_reference() -> None:
    facts = dataclasses.replace(
        COMPLETE,
        events=(
            *BASE_EVENTS,
            ev("approve_proposal", dt.date(2024, 3, 10), "发改高技〔2024〕1号"),
            ev("approve_feasibility", dt.date(2024, 6, 10), ""),
            ev("approve_preliminary_design", dt.date(2024, 9, 10), "   "),
        ),
    )
    result = judge("C1.1", facts)
    assert result.status == "fail"
    assert result.severity == "violation"
    assert "approve_feasibility" in result.message_en
    assert "approve_preliminary_design" in result.message_en
    assert "approve_proposal" not in result.message_en
    assert "2024-06-10" in result.message_zh
    assert "可行性研究报告" in result.message_zh


def test_c11_passes_when_every_approval_has_reference() -> None:
    facts = dataclasses.replace(
        COMPLETE,
        events=(
            *BASE_EVENTS,
            ev("approve_proposal", dt.date(2024, 3, 10), "发改高技〔2024〕1号"),
            ev("approve_feasibility", dt.date(2024, 6, 10), "发改高技〔2024〕2号"),
        ),
    )
    assert judge("C1.1", facts).status == "pass"


def test_c11_as_of_respects_effective_dates() -> None:
    facts = dataclasses.replace(
        COMPLETE,
        events=(
            *BASE_EVENTS,
            ev("approve_proposal", dt.date(2024, 3, 10), "发改高技〔2024〕1号"),
            ev("approve_feasibility", dt.date(2024, 6, 10), ""),
        ),
    )
    assert judge("C1.1", facts, as_of=dt.date(2024, 3, 9)).status == "not_applicable"
    assert judge("C1.1", facts, as_of=dt.date(2024, 3, 10)).status == "pass"
    assert judge("C1.1", facts, as_of=dt.date(2024, 6, 9)).status == "pass"
    assert judge("C1.1", facts, as_of=dt.date(2024, 6, 10)).status == "fail"


# --- C2.1 ----------------------------------------------------------------------------------------


def test_c21_passes_when_complete() -> None:
    result = judge("C2.1", COMPLETE)
    assert result.status == "pass"
    assert (result.clause, result.severity) == ("二", "gate")


def test_c21_fails_naming_each_missing_piece() -> None:
    result = judge("C2.1", dataclasses.replace(COMPLETE, responsible_leader_name="", technical_unit="  "))
    assert result.status == "fail"
    assert "leader" in result.message_en
    assert "technical" in result.message_en
    assert "business" not in result.message_en
    assert "技术支持单位" in result.message_zh
    assert "业务单位" not in result.message_zh


def test_c21_fails_on_everything_missing() -> None:
    bare = ProjectFacts(stage="draft", lead_department_kind="central")
    result = judge("C2.1", bare)
    assert result.status == "fail"
    for piece in ("leader", "business unit", "technical"):
        assert piece in result.message_en
    for piece in ("一把手", "业务单位", "技术支持单位"):
        assert piece in result.message_zh


# --- C10.2 ---------------------------------------------------------------------------------------


def test_c102_not_applicable_for_non_joint_project() -> None:
    facts = dataclasses.replace(COMPLETE, lead_department_kind="local", participating_department_kinds=())
    assert judge("C10.2", facts).status == "not_applicable"


def test_c102_fails_when_lead_is_not_central() -> None:
    facts = dataclasses.replace(
        COMPLETE, joint_central_local=True, lead_department_kind="local", participating_department_kinds=("local",)
    )
    result = judge("C10.2", facts)
    assert result.status == "fail"
    assert "central" in result.message_en
    assert result.blocks


def test_c102_fails_without_local_participant() -> None:
    for kinds in ((), ("central",), ("agency", "central")):
        facts = dataclasses.replace(COMPLETE, joint_central_local=True, participating_department_kinds=kinds)
        result = judge("C10.2", facts)
        assert result.status == "fail", kinds
        assert "local" in result.message_en


def test_c102_fails_naming_both_problems() -> None:
    facts = dataclasses.replace(
        COMPLETE, joint_central_local=True, lead_department_kind="local", participating_department_kinds=()
    )
    result = judge("C10.2", facts)
    assert "central" in result.message_en and "local" in result.message_en


def test_c102_structure_fine_is_not_applicable_never_pass() -> None:
    """Co-author records are not in the product yet: the rule cannot pass."""
    facts = dataclasses.replace(COMPLETE, joint_central_local=True)
    result = judge("C10.2", facts)
    assert result.status == "not_applicable"
    assert "co-author" in result.message_en
    assert not result.blocks


# --- C11.1 and the rest --------------------------------------------------------------------------


@pytest.mark.parametrize(("outsourcing", "hosting"), [(False, False), (True, False), (True, True)])
def test_c111_is_information_only(outsourcing: bool, hosting: bool) -> None:
    facts = dataclasses.replace(COMPLETE, service_outsourcing=outsourcing, data_hosting=hosting)
    result = judge("C11.1", facts)
    assert result.severity == "info"
    assert result.status not in ("fail", "error")
    assert not result.blocks
    assert ("service outsourcing" in result.message_en) is outsourcing
    assert ("data hosting" in result.message_en) is hosting


@pytest.mark.parametrize("rule_id", NOT_YET)
def test_rules_without_records_are_not_applicable(rule_id: str) -> None:
    result = judge(rule_id, COMPLETE)
    assert result.status == "not_applicable"
    assert result.message_en.strip() and result.message_zh.strip()
    assert "not part of the product yet" in result.message_en


# --- the compliance report over the API ----------------------------------------------------------


def compliance(api: Any, persona: str, project: Any, **params: str) -> Any:
    return api(persona).get(f"/api/v1/projects/{project.pk}/compliance", params)


def test_compliance_lists_every_rule_of_the_pack(project: Any, api: Any) -> None:
    r = compliance(api, "staff_a", project)
    assert r.status_code == 200
    data = r.json()
    pack = engine.load_pack("r2007")
    assert data["regime"] == "r2007"
    assert data["pack_version"] == pack.version
    assert [x["rule"] for x in data["results"]] == [rule.id for rule in pack.rules]
    for x in data["results"]:
        assert x["status"] in ("pass", "fail", "not_applicable", "error")
        assert x["message"].strip()
        assert x["clause"] == pack.rule(x["rule"]).clause
        assert x["severity"] == pack.rule(x["rule"]).severity


def test_compliance_rules_without_records_never_pass(project: Any, personas: dict[str, Any], api: Any) -> None:
    from conftest import advance

    advance(project, personas, "in_operation")
    for as_of in ("2023-01-01", "2024-06-01", "2026-11-20"):
        results = {x["rule"]: x for x in compliance(api, "ndrc", project, as_of=as_of).json()["results"]}
        for rule_id in NOT_YET:
            assert results[rule_id]["status"] == "not_applicable", (rule_id, as_of)
        assert results["C10.2"]["status"] == "not_applicable"  # not a joint project


def test_compliance_of_complete_draft(project: Any, api: Any) -> None:
    results = {x["rule"]: x["status"] for x in compliance(api, "staff_p", project).json()["results"]}
    assert results["C2.1"] == "pass"
    assert results["C1.1"] == "not_applicable"
    assert "error" not in results.values()


def test_compliance_as_of_judges_records_dated_by_then(project: Any, personas: dict[str, Any], api: Any) -> None:
    from conftest import ready_for
    from egovpm.projects.services import project_transition

    for action, who, day, ref in (
        ("submit_needs_analysis", "staff_a", dt.date(2024, 1, 10), ""),
        ("submit_proposal", "staff_a", dt.date(2024, 2, 10), ""),
        ("approve_proposal", "ndrc", dt.date(2024, 3, 10), ""),  # no 批复文号
    ):
        ready_for(project, action, day)
        project_transition(
            actor=personas[who], project_id=project.pk, action=action, effective_date=day, approval_reference=ref
        )

    def c11(as_of: str) -> str:
        r = compliance(api, "staff_a", project, as_of=as_of)
        assert r.status_code == 200
        assert r.json()["as_of"] == as_of
        return next(x["status"] for x in r.json()["results"] if x["rule"] == "C1.1")

    assert c11("2024-03-09") == "not_applicable"
    assert c11("2024-03-10") == "fail"
    assert c11("2026-11-20") == "fail"
    # without as_of: today in Beijing
    data = compliance(api, "staff_a", project).json()
    assert data["as_of"] == "2026-11-20"


def test_compliance_as_of_before_c21_data_is_still_judged_on_current_fields(project: Any, api: Any) -> None:
    """Registry fields have no date of their own: they are judged as they stand."""
    results = {
        x["rule"]: x["status"] for x in compliance(api, "staff_a", project, as_of="2020-01-01").json()["results"]
    }
    assert results["C2.1"] == "pass"


@pytest.mark.parametrize("as_of", ["yesterday", "2026-13-01", "2026/11/20", "2026-02-30", "2026-11-20T00:00"])
def test_compliance_invalid_as_of_is_400(as_of: str, project: Any, api: Any) -> None:
    r = compliance(api, "staff_a", project, as_of=as_of)
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert "as_of" in r.json()["details"]


def test_compliance_outside_scope_is_404(project: Any, other_project: Any, api: Any) -> None:
    assert compliance(api, "staff_b", project).status_code == 404
    assert compliance(api, "staff_a", other_project).status_code == 404
    assert compliance(api, "expert_other", project).status_code == 404
    assert compliance(api, "mof", other_project).status_code == 200


def test_compliance_in_english(project: Any, api: Any) -> None:
    r = api("staff_a").get(f"/api/v1/projects/{project.pk}/compliance", HTTP_ACCEPT_LANGUAGE="en")
    c21 = next(x for x in r.json()["results"] if x["rule"] == "C2.1")
    assert c21["message_en"]
    assert c21["message_zh"]
