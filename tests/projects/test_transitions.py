"""Lifecycle transitions of regime r2007 (domain.md §4), exercised through the HTTP API.

The expected table below is written out from the spec, not imported from the code, so that a
wrong entry in projects/choices.py shows up here as a failure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import NOW, advance, make_project, ready_for
from egovpm.audit.models import AuditEvent
from egovpm.projects.models import Project, StageEvent
from egovpm.rules import engine

STAGES = [
    "draft",
    "needs_analysis",
    "proposal",
    "feasibility_study",
    "preliminary_design",
    "construction",
    "trial_operation",
    "acceptance",
    "in_operation",
    "cancelled",
]
ACTIONS = [
    "submit_needs_analysis",
    "submit_proposal",
    "approve_proposal",
    "approve_feasibility",
    "approve_preliminary_design",
    "start_trial_operation",
    "pass_preliminary_acceptance",
    "pass_completion_acceptance",
    "return",
    "cancel",
]
ACTIVE = STAGES[:8]  # every stage before in_operation, cancelled excluded

# (action, from) -> (to, the persona who may take it) — domain.md §4, written out by hand
LEGAL: dict[tuple[str, str], tuple[str, str]] = {
    ("submit_needs_analysis", "draft"): ("needs_analysis", "staff_a"),
    ("submit_proposal", "needs_analysis"): ("proposal", "staff_a"),
    ("approve_proposal", "proposal"): ("feasibility_study", "ndrc"),
    ("approve_feasibility", "feasibility_study"): ("preliminary_design", "ndrc"),
    ("approve_preliminary_design", "preliminary_design"): ("construction", "ndrc"),
    ("start_trial_operation", "construction"): ("trial_operation", "staff_a"),
    ("pass_preliminary_acceptance", "trial_operation"): ("acceptance", "leader_a"),
    ("pass_completion_acceptance", "acceptance"): ("in_operation", "ndrc"),
    ("return", "needs_analysis"): ("draft", "ndrc"),
    ("return", "proposal"): ("needs_analysis", "ndrc"),
    **{("cancel", s): ("cancelled", "ndrc") for s in ACTIVE},
}

# A persona whose role allows the action (so that an illegal stage, not the role, is what refuses).
ROLE_FOR = {
    "submit_needs_analysis": "staff_a",
    "submit_proposal": "staff_a",
    "approve_proposal": "ndrc",
    "approve_feasibility": "ndrc",
    "approve_preliminary_design": "ndrc",
    "start_trial_operation": "staff_a",
    "pass_preliminary_acceptance": "leader_a",
    "pass_completion_acceptance": "ndrc",
    "return": "ndrc",
    "cancel": "ndrc",
}

ILLEGAL = [(a, s) for a in ACTIONS for s in STAGES if (a, s) not in LEGAL]


def url(project: Any) -> str:
    return f"/api/v1/projects/{project.pk}/transition"


def bring_to(project: Any, personas: dict[str, Any], stage: str) -> Project:
    """Put `project` in `stage` by walking the lifecycle (cancelled: cancel a draft)."""
    from egovpm.projects.services import project_transition

    if stage == "cancelled":
        return project_transition(
            actor=personas["ndrc"],
            project_id=project.pk,
            action="cancel",
            effective_date=dt.date(2024, 1, 10),
            comment="并入其他项目",
        )
    return advance(project, personas, stage)


def audit_count() -> int:
    """Audit rows other than token issues (each api(persona) client issues a token)."""
    return AuditEvent.objects.exclude(action="auth.token_issue").count()


def counts(project: Any) -> tuple[str, int, int]:
    project = Project.objects.get(pk=project.pk)
    return project.stage, StageEvent.objects.filter(project=project).count(), audit_count()


def body(action: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"action": action, "comment": "理由说明"}
    if action.startswith("approve"):
        data["approval_reference"] = "发改高技〔2026〕88号"
    data.update(extra)
    return data


def test_expected_table_covers_every_pair() -> None:
    assert len(LEGAL) + len(ILLEGAL) == len(ACTIONS) * len(STAGES)
    assert len(LEGAL) == 10 + len(ACTIVE)


@pytest.mark.parametrize(("action", "stage"), sorted(LEGAL))
def test_legal_transition_moves_to_target_and_records_event(
    action: str, stage: str, project: Any, personas: dict[str, Any], api: Any
) -> None:
    target, persona = LEGAL[(action, stage)]
    project = bring_to(project, personas, stage)
    ready_for(project, action, dt.date(2026, 11, 19))
    events_before = StageEvent.objects.filter(project=project).count()
    audit_before = audit_count()

    r = api(persona).post(url(project), body(action, effective_date="2026-11-19"), format="json")

    assert r.status_code == 200, r.json()
    assert r.json()["stage"] == target
    project.refresh_from_db()
    assert project.stage == target
    assert StageEvent.objects.filter(project=project).count() == events_before + 1
    assert audit_count() == audit_before + 1
    event = StageEvent.objects.filter(project=project).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.from_stage, event.to_stage) == (action, stage, target)
    assert event.actor.username == persona
    assert event.at == NOW  # server time, not the effective date
    assert event.effective_date == dt.date(2026, 11, 19)
    assert event.comment == "理由说明"
    assert event.pack_version == engine.load_pack("r2007").version
    assert event.pack_sha256 == engine.load_pack("r2007").sha256


@pytest.mark.parametrize(("action", "stage"), ILLEGAL)
def test_illegal_transition_is_409_and_changes_nothing(
    action: str, stage: str, project: Any, personas: dict[str, Any], api: Any
) -> None:
    project = bring_to(project, personas, stage)
    before = counts(project)

    r = api(ROLE_FOR[action]).post(url(project), body(action), format="json")

    # dept_leader-only cancel from late stages would be 403; ndrc is used for cancel, so 409 here
    assert r.status_code == 409, r.json()
    assert r.json()["code"] == "illegal_transition"
    assert counts(project) == before


# --- order of checks: 404 → 403 → 409 illegal → 400 date → 409 gates ---------------------------


def test_outside_scope_is_404_before_everything_else(project: Any, api: Any) -> None:
    before = counts(project)
    # staff_b's department has nothing to do with the project; the action is also illegal,
    # the role wrong for it and the date in the future — scope still answers first.
    r = api("staff_b").post(url(project), body("approve_feasibility", effective_date="2030-01-01"), format="json")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    r = api("staff_b").post(url(project), body("submit_needs_analysis"), format="json")
    assert r.status_code == 404
    assert counts(project) == before


def test_unknown_project_is_404(api: Any, personas: dict[str, Any]) -> None:
    r = api("ndrc").post(
        "/api/v1/projects/00000000-0000-0000-0000-000000000000/transition", body("cancel"), format="json"
    )
    assert r.status_code == 404


@pytest.mark.parametrize("persona", ["staff_p", "mof", "expert_assigned", "archivist_assigned"])
def test_role_is_403_before_illegal_stage(persona: str, project: Any, api: Any) -> None:
    """They can see the project but may not act; the action is also illegal from draft."""
    before = counts(project)
    r = api(persona).post(url(project), body("approve_feasibility", effective_date="2030-01-01"), format="json")
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"
    assert counts(project) == before


def test_participant_may_not_submit(project: Any, api: Any) -> None:
    r = api("staff_p").post(url(project), body("submit_needs_analysis"), format="json")
    assert r.status_code == 403


def test_ndrc_may_not_take_department_action(project: Any, api: Any) -> None:
    r = api("ndrc").post(url(project), body("submit_needs_analysis"), format="json")
    assert r.status_code == 403


def test_illegal_stage_is_409_before_bad_effective_date(project: Any, api: Any) -> None:
    before = counts(project)
    r = api("ndrc").post(url(project), body("approve_feasibility", effective_date="2030-01-01"), format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition"
    assert counts(project) == before


def test_effective_date_is_400_before_gates(personas: dict[str, Any], api: Any) -> None:
    bare = make_project(personas["staff_a"], responsible_leader_name="", business_unit="", technical_unit="")
    before = counts(bare)
    r = api("staff_a").post(url(bare), body("submit_needs_analysis", effective_date="2026-11-21"), format="json")
    assert r.status_code == 400
    assert "effective_date" in r.json()["details"]
    assert counts(bare) == before


def test_gate_failure_c21_lists_violation_and_changes_nothing(personas: dict[str, Any], api: Any) -> None:
    bare = make_project(personas["staff_a"], responsible_leader_name="", business_unit="", technical_unit="")
    before = counts(bare)
    r = api("staff_a").post(url(bare), body("submit_needs_analysis"), format="json")
    assert r.status_code == 409
    data = r.json()
    assert data["code"] == "rule_violation"
    violations = data["details"]["violations"]
    c21 = [v for v in violations if v["rule"] == "C2.1"]
    assert len(c21) == 1
    assert c21[0]["clause"] == "二"
    assert c21[0]["message"].strip()
    assert counts(bare) == before


@pytest.mark.parametrize(
    "missing",
    [
        {"responsible_leader_name": ""},
        {"business_unit": ""},
        {"technical_unit": ""},
    ],
)
def test_each_missing_c21_piece_blocks(missing: dict[str, str], personas: dict[str, Any], api: Any) -> None:
    p = make_project(personas["staff_a"], **missing)
    r = api("staff_a").post(url(p), body("submit_needs_analysis"), format="json")
    assert r.status_code == 409
    assert [v["rule"] for v in r.json()["details"]["violations"]] == ["C2.1"]
    assert counts(p)[0] == "draft"


def test_gate_passes_once_fields_are_completed(personas: dict[str, Any], api: Any) -> None:
    p = make_project(personas["staff_a"], business_unit="")
    assert api("staff_a").post(url(p), body("submit_needs_analysis"), format="json").status_code == 409
    r = api("staff_a").patch(f"/api/v1/projects/{p.pk}", {"business_unit": "办公厅"}, format="json")
    assert r.status_code == 200
    r = api("staff_a").post(url(p), body("submit_needs_analysis"), format="json")
    assert r.status_code == 200
    assert r.json()["stage"] == "needs_analysis"


# --- effective dates ---------------------------------------------------------------------------


def test_future_effective_date_is_400(project: Any, api: Any) -> None:
    before = counts(project)
    r = api("staff_a").post(url(project), body("submit_needs_analysis", effective_date="2026-11-21"), format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert counts(project) == before


def test_today_in_beijing_is_not_future(project: Any, api: Any, clock: Any) -> None:
    # 20:00 UTC on 20 Nov is already 21 Nov in Beijing
    clock.set_now(dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC))
    r = api("staff_a").post(url(project), body("submit_needs_analysis", effective_date="2026-11-21"), format="json")
    assert r.status_code == 200, r.json()


def test_default_effective_date_is_today_in_beijing(project: Any, api: Any, clock: Any) -> None:
    clock.set_now(dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC))
    r = api("staff_a").post(url(project), {"action": "submit_needs_analysis"}, format="json")
    assert r.status_code == 200
    assert StageEvent.objects.get(project=project).effective_date == dt.date(2026, 11, 21)


def test_effective_date_before_previous_stage_action_is_400(project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, "needs_analysis", start=dt.date(2025, 5, 10))
    before = counts(project)
    r = api("staff_a").post(url(project), body("submit_proposal", effective_date="2025-05-09"), format="json")
    assert r.status_code == 400
    assert counts(project) == before


def test_effective_date_equal_to_previous_is_fine(project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, "needs_analysis", start=dt.date(2025, 5, 10))
    ready_for(project, "submit_proposal", dt.date(2025, 5, 10))
    r = api("staff_a").post(url(project), body("submit_proposal", effective_date="2025-05-10"), format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["stage"] == "proposal"


def test_creation_date_does_not_count(project: Any, api: Any) -> None:
    """The project was created today (2026); its history may start years before."""
    r = api("staff_a").post(url(project), body("submit_needs_analysis", effective_date="2015-03-01"), format="json")
    assert r.status_code == 200, r.json()
    assert StageEvent.objects.get(project=project).effective_date == dt.date(2015, 3, 1)


def test_malformed_effective_date_is_400(project: Any, api: Any) -> None:
    r = api("staff_a").post(url(project), body("submit_needs_analysis", effective_date="20-11-2026"), format="json")
    assert r.status_code == 400
    assert counts(project)[0] == "draft"


def test_unknown_action_is_400(project: Any, api: Any) -> None:
    r = api("staff_a").post(url(project), {"action": "approve_everything"}, format="json")
    assert r.status_code == 400


# --- return and cancel -------------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "target"), [("needs_analysis", "draft"), ("proposal", "needs_analysis")])
def test_return_targets(stage: str, target: str, project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, stage)
    r = api("ndrc").post(url(project), {"action": "return", "comment": "请补充材料"}, format="json")
    assert r.status_code == 200
    assert r.json()["stage"] == target


@pytest.mark.parametrize("action", ["return", "cancel"])
@pytest.mark.parametrize("comment", [None, "", "   "])
def test_return_and_cancel_need_a_comment(
    action: str, comment: str | None, project: Any, personas: dict[str, Any], api: Any
) -> None:
    project = advance(project, personas, "needs_analysis")
    before = counts(project)
    data: dict[str, Any] = {"action": action}
    if comment is not None:
        data["comment"] = comment
    r = api("ndrc").post(url(project), data, format="json")
    assert r.status_code == 400
    assert "comment" in r.json()["details"]
    assert counts(project) == before


@pytest.mark.parametrize("stage", ["draft", "needs_analysis", "proposal"])
def test_leader_may_cancel_before_proposal_approval(
    stage: str, project: Any, personas: dict[str, Any], api: Any
) -> None:
    project = advance(project, personas, stage)
    r = api("leader_a").post(url(project), {"action": "cancel", "comment": "不再建设"}, format="json")
    assert r.status_code == 200
    assert r.json()["stage"] == "cancelled"


@pytest.mark.parametrize("stage", ["feasibility_study", "preliminary_design", "construction", "acceptance"])
def test_leader_may_not_cancel_after_proposal_approval(
    stage: str, project: Any, personas: dict[str, Any], api: Any
) -> None:
    project = advance(project, personas, stage)
    before = counts(project)
    r = api("leader_a").post(url(project), {"action": "cancel", "comment": "不再建设"}, format="json")
    assert r.status_code == 403
    assert counts(project) == before


def test_staff_may_not_cancel(project: Any, api: Any) -> None:
    r = api("staff_a").post(url(project), {"action": "cancel", "comment": "不再建设"}, format="json")
    assert r.status_code == 403
    assert counts(project)[0] == "draft"


def test_other_leader_cannot_see_to_cancel(project: Any, api: Any) -> None:
    r = api("leader_b").post(url(project), {"action": "cancel", "comment": "x"}, format="json")
    assert r.status_code == 404


def test_ndrc_cancels_from_construction(project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, "construction")
    r = api("ndrc").post(url(project), {"action": "cancel", "comment": "并入其他项目"}, format="json")
    assert r.status_code == 200
    assert r.json()["stage"] == "cancelled"
    assert StageEvent.objects.filter(project=project).order_by("-seq").first().comment == "并入其他项目"


@pytest.mark.parametrize("stage", ["in_operation", "cancelled"])
@pytest.mark.parametrize("persona", ["ndrc", "leader_a", "staff_a"])
def test_nothing_moves_out_of_final_stages(
    stage: str, persona: str, project: Any, personas: dict[str, Any], api: Any
) -> None:
    project = bring_to(project, personas, stage)
    before = counts(project)
    for action in ACTIONS:
        r = api(persona).post(url(project), body(action), format="json")
        assert r.status_code in (403, 409), (action, r.status_code)
    assert counts(project) == before


# --- completion acceptance and entrustment ------------------------------------------------------


def test_completion_acceptance_by_ndrc(project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, "acceptance")
    ready_for(project, "pass_completion_acceptance")
    r = api("ndrc").post(url(project), {"action": "pass_completion_acceptance"}, format="json")
    assert r.status_code == 200
    assert r.json()["stage"] == "in_operation"
    assert StageEvent.objects.filter(project=project).order_by("-seq").first().entrusted is False


def test_completion_acceptance_by_leader_needs_entrustment(project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, "acceptance")
    ready_for(project, "pass_completion_acceptance")
    r = api("leader_a").post(url(project), {"action": "pass_completion_acceptance"}, format="json")
    assert r.status_code == 403
    assert counts(project)[0] == "acceptance"

    entrust = f"/api/v1/projects/{project.pk}/entrust-completion"
    r = api("ndrc").post(entrust, {"entrusted": True}, format="json")
    assert r.status_code == 400
    r = api("ndrc").post(entrust, {"entrusted": True, "reason": "   "}, format="json")
    assert r.status_code == 400
    r = api("leader_a").post(entrust, {"entrusted": True, "reason": "自己委托自己"}, format="json")
    assert r.status_code == 403
    project.refresh_from_db()
    assert project.completion_entrusted is False

    r = api("ndrc").post(entrust, {"entrusted": True, "reason": "投资规模较小（第55号令）"}, format="json")
    assert r.status_code == 200
    assert r.json()["completion_entrusted"] is True

    # entrusted to the department's leader, not its staff
    r = api("staff_a").post(url(project), {"action": "pass_completion_acceptance"}, format="json")
    assert r.status_code == 403
    r = api("leader_a").post(url(project), {"action": "pass_completion_acceptance"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["stage"] == "in_operation"
    event = StageEvent.objects.filter(project=project).order_by("-seq").first()
    assert event.entrusted is True
    assert event.actor.username == "leader_a"
    events = api("staff_a").get(f"/api/v1/projects/{project.pk}/events").json()["results"]
    assert events[-1]["entrusted"] is True


def test_entrustment_outside_scope_is_404(other_project: Any, api: Any) -> None:
    r = api("leader_a").post(
        f"/api/v1/projects/{other_project.pk}/entrust-completion", {"entrusted": True, "reason": "x"}, format="json"
    )
    assert r.status_code == 404


def test_preliminary_acceptance_is_leader_only(project: Any, personas: dict[str, Any], api: Any) -> None:
    project = advance(project, personas, "trial_operation")
    ready_for(project, "pass_preliminary_acceptance")
    assert (
        api("staff_a").post(url(project), {"action": "pass_preliminary_acceptance"}, format="json").status_code == 403
    )
    assert api("ndrc").post(url(project), {"action": "pass_preliminary_acceptance"}, format="json").status_code == 403
    r = api("leader_a").post(url(project), {"action": "pass_preliminary_acceptance"}, format="json")
    assert r.status_code == 200
    assert r.json()["stage"] == "acceptance"


# --- what events record ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        ("proposal", "approve_proposal"),
        ("feasibility_study", "approve_feasibility"),
        ("preliminary_design", "approve_preliminary_design"),
    ],
)
def test_approvals_record_approval_reference(
    stage: str, action: str, project: Any, personas: dict[str, Any], api: Any
) -> None:
    project = advance(project, personas, stage)
    ready_for(project, action, dt.date(2026, 10, 1))
    r = api("ndrc").post(
        url(project),
        {"action": action, "approval_reference": "发改高技〔2026〕123号", "effective_date": "2026-10-01"},
        format="json",
    )
    assert r.status_code == 200
    event = StageEvent.objects.filter(project=project).order_by("-seq").first()
    assert event.approval_reference == "发改高技〔2026〕123号"
    listed = api("staff_a").get(f"/api/v1/projects/{project.pk}/events").json()["results"]
    assert listed[-1]["approval_reference"] == "发改高技〔2026〕123号"
    assert listed[-1]["effective_date"] == "2026-10-01"
    assert listed[-1]["actor"] == "ndrc"
    assert listed[-1]["pack_version"] == engine.load_pack("r2007").version


def test_events_are_listed_in_order(project: Any, personas: dict[str, Any], api: Any) -> None:
    advance(project, personas, "preliminary_design")
    listed = api("staff_p").get(f"/api/v1/projects/{project.pk}/events").json()["results"]
    assert [e["to_stage"] for e in listed] == ["needs_analysis", "proposal", "feasibility_study", "preliminary_design"]
    assert [e["seq"] for e in listed] == [1, 2, 3, 4]
    assert api("staff_b").get(f"/api/v1/projects/{project.pk}/events").status_code == 404


def test_transition_audit_row(project: Any, api: Any) -> None:
    r = api("staff_a").post(url(project), body("submit_needs_analysis", effective_date="2026-11-01"), format="json")
    assert r.status_code == 200
    audit = AuditEvent.objects.order_by("-seq").first()
    assert audit.action == "project.transition.submit_needs_analysis"
    assert audit.actor_username == "staff_a"
    assert audit.object_id == str(project.pk)
    assert audit.old == {"stage": "draft"}
    assert audit.new["stage"] == "needs_analysis"
    assert audit.new["effective_date"] == "2026-11-01"
    assert audit.channel == "api"


@pytest.mark.parametrize("stage_value", ["construction", "in_operation", "draft"])
def test_patch_of_stage_is_400(stage_value: str, project: Any, api: Any) -> None:
    before = counts(project)
    r = api("staff_a").patch(f"/api/v1/projects/{project.pk}", {"stage": stage_value}, format="json")
    assert r.status_code == 400
    assert "stage" in r.json()["details"]
    r = api("staff_a").patch(f"/api/v1/projects/{project.pk}", {"stage": "construction", "name": "新名"}, format="json")
    assert r.status_code == 400
    assert counts(project) == before
    assert Project.objects.get(pk=project.pk).name == "测试电子政务项目"
