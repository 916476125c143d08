"""Information systems, network placement and risk assessment (clauses 六 and 九; domain.md §8):
the API, the gates C6.1, C6.2 and C9.1 (blocked and passing), the violations C9.2 and C9.3 as of
dates, and the warning C6.3."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import advance, ready_for
from egovpm.audit.models import AuditEvent
from egovpm.security.models import InformationSystem, RiskAssessment

ACTORS = ("staff_a", "leader_a", "ndrc")

GOOD = {
    "name": "政务服务门户",
    "purpose": "public_service",
    "network": "gov_extranet",
    "is_new": True,
    "protection_level": 2,
    "protection_in_needs_analysis": True,
    "protection_in_design": True,
}


def systems_url(project: Any) -> str:
    return f"/api/v1/projects/{project.pk}/systems"


def add_system(api: Any, project: Any, persona: str = "staff_a", **fields: Any) -> Any:
    r = api(persona).post(systems_url(project), {**GOOD, **fields}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()


def move(api: Any, project: Any, persona: str, action: str, day: dt.date | None = None, **extra: Any) -> Any:
    body = {"action": action, **extra}
    if day is not None:
        body["effective_date"] = day.isoformat()
    if action.startswith("approve"):
        body.setdefault("approval_reference", "发改高技〔2026〕9号")
    return api(persona).post(f"/api/v1/projects/{project.pk}/transition", body, format="json")


def rules_of(response: Any) -> set[str]:
    assert response.status_code == 409, response.json()
    return {v["rule"] for v in response.json()["details"]["violations"]}


def compliance(api: Any, project: Any, as_of: str | None = None) -> dict[str, Any]:
    url = f"/api/v1/projects/{project.pk}/compliance" + (f"?as_of={as_of}" if as_of else "")
    r = api("ndrc").get(url)
    assert r.status_code == 200, r.json()
    return {x["rule"]: x for x in r.json()["results"]}


def personas_for(personas: dict[str, Any]) -> dict[str, Any]:
    return {k: personas[k] for k in ACTORS}


# ---------------------------------------------------------------- API


def test_create_list_and_read_a_system(project: Any, api: Any) -> None:
    data = add_system(api, project, protection_level=3, filing_number="11010013001-00001", filing_date="2026-10-01")
    assert data["protection_level"] == 3 and data["classified_tier"] == ""
    assert data["network_exception"] is None
    listing = api("staff_p").get(systems_url(project)).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == data["id"]
    assert api("mof").get(f"/api/v1/systems/{data['id']}").json()["filing_number"] == "11010013001-00001"
    assert AuditEvent.objects.filter(action="system.create", object_id=data["id"]).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"protection_level": 2, "classified_tier": "secret"}, "classified_tier"),  # both → 400
        ({"protection_level": 6}, "protection_level"),
        ({"network": "lan"}, "network"),
        ({"purpose": "other"}, "purpose"),
        ({"filing_date": "2026-12-01"}, "filing_date"),  # future
        ({"evaluation_date": "2026-11-21"}, "evaluation_date"),  # future
        ({"filing_date": "2026/10/01"}, "filing_date"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_system_is_400_and_nothing_stored(project: Any, api: Any, fields: dict[str, Any], field: str) -> None:
    r = api("staff_a").post(systems_url(project), {**GOOD, **fields}, format="json")
    assert r.status_code == 400, r.json()
    assert field in r.json()["details"]
    assert not InformationSystem.objects.exists()


def test_classified_tier_without_level(project: Any, api: Any) -> None:
    data = add_system(api, project, protection_level=None, classified_tier="confidential", network="gov_intranet")
    assert data["protection_level"] is None and data["classified_tier"] == "confidential"


def test_patch_system_and_stale_version(project: Any, api: Any) -> None:
    data = add_system(api, project)
    url = f"/api/v1/systems/{data['id']}"
    r = api("leader_a").patch(url, {"protection_level": 3, "version": data["version"]}, format="json")
    assert r.status_code == 200 and r.json()["protection_level"] == 3
    stale = api("staff_a").patch(url, {"protection_level": 2, "version": data["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    both = api("staff_a").patch(url, {"classified_tier": "secret"}, format="json")
    assert both.status_code == 400
    assert api("staff_p").patch(url, {"protection_level": 1}, format="json").status_code == 403
    assert api("staff_b").patch(url, {"protection_level": 1}, format="json").status_code == 404
    assert InformationSystem.objects.get(pk=data["id"]).protection_level == 3


def test_network_exception_only_by_ndrc_for_new_dedicated_networks(project: Any, api: Any) -> None:
    on_extranet = add_system(api, project)
    dedicated = add_system(api, project, network="dedicated_new", name="业务专网")
    url = "/api/v1/systems/{}/network-exception"
    assert api("staff_a").post(url.format(dedicated["id"]), {"reason": "x"}, format="json").status_code == 403
    r = api("ndrc").post(url.format(on_extranet["id"]), {"reason": "不需要"}, format="json")
    assert r.status_code == 400
    assert api("ndrc").post(url.format(dedicated["id"]), {"reason": ""}, format="json").status_code == 400
    r = api("ndrc").post(url.format(dedicated["id"]), {"reason": "偏远站点政务外网未覆盖"}, format="json")
    assert r.status_code == 200
    assert r.json()["network_exception"]["reason"] == "偏远站点政务外网未覆盖"
    assert r.json()["network_exception"]["granted_by"] == "ndrc"
    again = api("ndrc").post(url.format(dedicated["id"]), {"reason": "再次"}, format="json")
    assert again.status_code == 409


def test_risk_assessment_api(project: Any, api: Any) -> None:
    url = f"/api/v1/projects/{project.pk}/risk-assessments"
    body = {"assessed_on": "2026-11-20", "assessor": "测评中心", "summary": "无高风险", "residual_risks": "两项中风险"}
    r = api("staff_a").post(url, body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["recorded_by"] == "staff_a" and r.json()["residual_risks"] == "两项中风险"
    future = api("staff_a").post(url, {**body, "assessed_on": "2026-11-21"}, format="json")
    assert future.status_code == 400 and "assessed_on" in future.json()["details"]
    assert api("staff_p").post(url, body, format="json").status_code == 403
    assert api("ndrc").post(url, body, format="json").status_code == 403
    assert api("staff_p").get(url).json()["count"] == 1
    assert RiskAssessment.objects.count() == 1


def test_risk_assessment_report_must_be_a_risk_report_of_the_project(project: Any, api: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(category: str) -> str:
        r = api("staff_a").post(
            f"/api/v1/projects/{project.pk}/documents",
            {
                "file": SimpleUploadedFile("r.pdf", b"%PDF report " + category.encode()),
                "stage": "trial_operation",
                "category": category,
                "title": "风险评估报告",
            },
            format="multipart",
        )
        return r.json()["id"]

    url = f"/api/v1/projects/{project.pk}/risk-assessments"
    body = {"assessed_on": "2026-11-01", "assessor": "测评中心", "summary": "无高风险"}
    wrong = api("staff_a").post(url, {**body, "document": upload("other")}, format="json")
    assert wrong.status_code == 400 and "document" in wrong.json()["details"]
    right = api("staff_a").post(url, {**body, "document": upload("risk_assessment_report")}, format="json")
    assert right.status_code == 201 and right.json()["document"]


# ---------------------------------------------------------------- C6.1 and C9.1 gates


def test_c61_blocks_submit_proposal_until_every_system_is_graded_and_in_the_needs_analysis(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    project = advance(project, personas_for(personas), "needs_analysis", start=dt.date(2026, 1, 5))
    ungraded = add_system(api, project, protection_level=None, protection_in_needs_analysis=False)
    ready_for(project, "submit_proposal")  # the other apps' evidence; a system exists, so none is added
    violations = rules_of(move(api, project, "staff_a", "submit_proposal"))
    assert "C6.1" in violations
    api("staff_a").patch(f"/api/v1/systems/{ungraded['id']}", {"protection_level": 2}, format="json")
    assert "C6.1" in rules_of(move(api, project, "staff_a", "submit_proposal"))  # still not in the needs analysis
    api("staff_a").patch(f"/api/v1/systems/{ungraded['id']}", {"protection_in_needs_analysis": True}, format="json")
    # the design part is not asked at submit_proposal
    r = move(api, project, "staff_a", "submit_proposal")
    assert r.status_code == 200, r.json()
    assert r.json()["stage"] == "proposal"


def test_c61_at_preliminary_design_needs_a_system_and_both_documents(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    project = advance(project, personas_for(personas), "preliminary_design", start=dt.date(2026, 1, 5))
    ready_for(project, "approve_preliminary_design")
    systems = list(InformationSystem.objects.filter(project=project))
    assert systems, "the evidence hook records a compliant system"
    InformationSystem.objects.filter(project=project).update(protection_in_design=False)
    r = move(api, project, "ndrc", "approve_preliminary_design")
    assert "C6.1" in rules_of(r)
    message = next(v for v in r.json()["details"]["violations"] if v["rule"] == "C6.1")["message_zh"]
    assert "初步设计" in message
    InformationSystem.objects.filter(project=project).delete()
    r = move(api, project, "ndrc", "approve_preliminary_design")
    assert "C6.1" in rules_of(r)
    assert "尚未登记" in next(v for v in r.json()["details"]["violations"] if v["rule"] == "C6.1")["message_zh"]
    add_system(api, project)
    r = move(api, project, "ndrc", "approve_preliminary_design")
    assert r.status_code == 200, r.json()


def test_c91_blocks_a_new_dedicated_network_until_ndrc_records_an_exception(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    project = advance(project, personas_for(personas), "needs_analysis", start=dt.date(2026, 1, 5))
    dedicated = add_system(api, project, network="dedicated_new", purpose="internal_office", name="部门业务专网")
    ready_for(project, "submit_proposal")
    r = move(api, project, "staff_a", "submit_proposal")
    assert rules_of(r) >= {"C9.1"}
    assert "部门业务专网" in next(v for v in r.json()["details"]["violations"] if v["rule"] == "C9.1")["message_zh"]
    grant = api("ndrc").post(
        f"/api/v1/systems/{dedicated['id']}/network-exception", {"reason": "涉密传输需要，经论证同意"}, format="json"
    )
    assert grant.status_code == 200
    r = move(api, project, "staff_a", "submit_proposal")
    assert r.status_code == 200, r.json()
    c91 = compliance(api, project)["C9.1"]
    assert c91["status"] == "pass" and "涉密传输需要" in c91["message"]
    # an excepted system is where NDRC allowed it: no C9.2 violation for its network either
    assert compliance(api, project)["C9.2"]["status"] == "pass"


def test_gate_verdicts_are_recorded_on_the_stage_event(project: Any, api: Any, personas: dict[str, Any]) -> None:
    project = advance(project, personas_for(personas), "proposal", start=dt.date(2026, 1, 5))
    event = project.events.get(action="submit_proposal")
    rules = {g["rule"]: g["status"] for g in event.gate_results}
    assert rules["C6.1"] == "pass" and rules["C9.1"] == "pass"


# ---------------------------------------------------------------- C6.2 gate


def test_c62_needs_a_risk_assessment_within_trial_operation(project: Any, api: Any, personas: dict[str, Any]) -> None:
    project = advance(project, personas_for(personas), "trial_operation", start=dt.date(2026, 1, 5))
    start = project.events.get(action="start_trial_operation").effective_date
    url = f"/api/v1/projects/{project.pk}/risk-assessments"
    before = (start - dt.timedelta(days=1)).isoformat()
    api("staff_a").post(url, {"assessed_on": before, "assessor": "甲", "summary": "试运行前"}, format="json")
    acceptance_day = start + dt.timedelta(days=20)
    r = move(api, project, "leader_a", "pass_preliminary_acceptance", acceptance_day)
    assert "C6.2" in rules_of(r)
    # dated after the acceptance's effective date: outside the window as well
    after = (acceptance_day + dt.timedelta(days=1)).isoformat()
    api("staff_a").post(url, {"assessed_on": after, "assessor": "乙", "summary": "验收后"}, format="json")
    assert "C6.2" in rules_of(move(api, project, "leader_a", "pass_preliminary_acceptance", acceptance_day))
    # on the first day of trial operation: inside (both ends inclusive)
    api("staff_a").post(
        url, {"assessed_on": start.isoformat(), "assessor": "丙", "summary": "试运行期间"}, format="json"
    )
    r = move(api, project, "leader_a", "pass_preliminary_acceptance", acceptance_day)
    assert r.status_code == 200, r.json()
    c62 = compliance(api, project)["C6.2"]
    assert c62["status"] == "pass" and start.isoformat() in c62["message"]


def test_c62_is_not_applicable_before_trial_operation(project: Any, api: Any) -> None:
    assert compliance(api, project)["C6.2"]["status"] == "not_applicable"


# ---------------------------------------------------------------- C9.2, C9.3 as of dates; C6.3


def _system_at(clock: Any, project: Any, personas: dict[str, Any], when: dt.datetime, **fields: Any) -> None:
    from egovpm.security.services import system_create

    clock.set_now(when)
    try:
        system_create(actor=personas["staff_a"], project_id=project.pk, data={**GOOD, **fields})
    finally:
        clock.set_now(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))


def test_c92_wrong_networks_as_of_dates(project: Any, api: Any, personas: dict[str, Any], clock: Any) -> None:
    _system_at(
        clock, project, personas, dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC), name="办公系统", purpose="internal_office"
    )
    _system_at(clock, project, personas, dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC), name="服务系统", network="internet")
    assert compliance(api, project, "2026-02-01")["C9.2"]["status"] == "not_applicable"
    march = compliance(api, project, "2026-03-15")["C9.2"]
    assert march["status"] == "fail" and "办公系统" in march["message"] and "服务系统" not in march["message"]
    now = compliance(api, project)["C9.2"]
    assert now["status"] == "fail" and "服务系统" in now["message"]
    # an existing public-service system elsewhere is C9.3's business, not C9.2's
    _system_at(
        clock,
        project,
        personas,
        dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC),
        name="老门户",
        network="internet",
        is_new=False,
    )
    assert "老门户" not in compliance(api, project)["C9.2"]["message"]


def test_c93_migration_plan_past_its_date_is_a_violation(
    project: Any, api: Any, personas: dict[str, Any], clock: Any
) -> None:
    _system_at(
        clock,
        project,
        personas,
        dt.datetime(2026, 1, 10, 2, tzinfo=dt.UTC),
        name="原有公共服务门户",
        network="dedicated_existing",
        is_new=False,
        migration_target_date="2026-06-30",
    )
    assert compliance(api, project, "2026-05-01")["C9.3"]["status"] == "pass"
    assert compliance(api, project, "2026-06-30")["C9.3"]["status"] == "pass"  # on the date: not yet past
    late = compliance(api, project, "2026-07-01")["C9.3"]
    assert late["status"] == "fail" and "已逾期" in late["message"]
    system = InformationSystem.objects.get(project=project)
    api("staff_a").patch(f"/api/v1/systems/{system.pk}", {"migration_target_date": None}, format="json")
    no_plan = compliance(api, project)["C9.3"]
    assert no_plan["status"] == "fail" and "没有迁移" in no_plan["message"]
    api("staff_a").patch(f"/api/v1/systems/{system.pk}", {"network": "gov_extranet"}, format="json")
    assert compliance(api, project)["C9.3"]["status"] == "not_applicable"  # migrated


def test_c63_warns_about_missing_filing_and_evaluation_at_acceptance(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    system = add_system(api, project, protection_level=3)
    before = compliance(api, project)["C6.3"]
    assert before["status"] == "not_applicable" and "公安机关备案" in before["message"]
    project = advance(project, personas_for(personas), "acceptance", start=dt.date(2026, 1, 5))
    c63 = compliance(api, project)["C6.3"]
    assert c63["status"] == "fail" and c63["severity"] == "warning"
    assert "备案" in c63["message"] and "测评" in c63["message"]
    api("staff_a").patch(
        f"/api/v1/systems/{system['id']}",
        {
            "filing_number": "11010013001-00002",
            "filing_date": "2026-09-01",
            "evaluation_date": "2026-10-01",
            "evaluation_result": "basically_conforms",
        },
        format="json",
    )
    assert compliance(api, project)["C6.3"]["status"] == "pass"
