"""Gates C2.1, C10.1 and C10.2: every missing piece is named in the 409 (domain.md §10, §12)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from conftest import make_project, ready_for
from egovpm.rules import engine
from egovpm.rules.facts import Context, DocumentFact, ProjectFacts
from egovpm.rules.facts_reviews import CoAuthorsFact, ExpertReviewFact

from .conftest import conclude, form, give

TODAY = dt.date(2026, 11, 20)


def transition(api: Any, persona: str, project: Any, action: str) -> Any:
    return api(persona).post(f"/api/v1/projects/{project.pk}/transition", {"action": action}, format="json")


def violation(response: Any, rule: str) -> dict[str, Any]:
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "rule_violation"
    found = [v for v in response.json()["details"]["violations"] if v["rule"] == rule]
    assert len(found) == 1, response.json()
    return found[0]


def upload(api: Any, project: Any, category: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {
        "file": SimpleUploadedFile(f"{category}.pdf", b"%PDF-1.4 " + category.encode(), content_type="application/pdf"),
        "stage": "needs_analysis",
        "category": category,
        "title": category,
    }
    assert api("staff_a").post(f"/api/v1/projects/{project.pk}/documents", body, format="multipart").status_code == 201


# ---------------------------------------------------------------- C2.1 over the API


@pytest.mark.django_db
def test_c21_names_every_missing_piece(personas: Any, api: Any) -> None:
    bare = make_project(
        personas["staff_a"],
        responsible_leader_name="",
        responsible_leader_title="",
        business_unit="",
        technical_unit="",
    )
    v = violation(transition(api, "staff_a", bare, "submit_needs_analysis"), "C2.1")
    for piece in ("项目负责人（一把手）姓名", "项目负责人职务", "业务单位", "技术支持单位"):
        assert piece in v["message_zh"]
    for piece in ("name", "title", "business unit", "technical-support unit"):
        assert piece in v["message_en"]
    assert v["clause"] == "二"


@pytest.mark.django_db
def test_c21_names_only_what_is_missing(personas: Any, api: Any) -> None:
    p = make_project(personas["staff_a"], technical_unit="")
    v = violation(transition(api, "staff_a", p, "submit_needs_analysis"), "C2.1")
    assert "技术支持单位" in v["message_zh"] and "业务单位、" not in v["message_zh"]


# ---------------------------------------------------------------- C10.1 over the API


@pytest.mark.django_db
def test_c101_names_every_missing_piece(na_project: Any, pool: Any, api: Any, as_user: Any) -> None:
    v = violation(transition(api, "staff_a", na_project, "submit_proposal"), "C10.1")
    for piece in ("需求分析报告", "项目建议书", "发改委尚未组织专家组"):
        assert piece in v["message_zh"], v
    for piece in ("needs-analysis report", "project proposal", "expert review"):
        assert piece in v["message_en"]
    upload(api, na_project, "needs_analysis_report")
    v = violation(transition(api, "staff_a", na_project, "submit_proposal"), "C10.1")
    assert "需求分析报告（" not in v["message_zh"] and "项目建议书" in v["message_zh"]
    upload(api, na_project, "project_proposal")
    v = violation(transition(api, "staff_a", na_project, "submit_proposal"), "C10.1")
    assert v["message_zh"] == "尚缺：专家评议（发改委尚未组织专家组）"
    review = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).json()
    v = violation(transition(api, "staff_a", na_project, "submit_proposal"), "C10.1")
    assert "专家组尚未形成结论" in v["message_zh"] and "not concluded" in v["message_en"]
    for who in ("ex.a", "ex.b", "ex.c"):
        give(as_user(pool[who]), review["id"], "reject", "不同意")
    conclude(api, review["id"], "reject", "需求不清，不同意")
    v = violation(transition(api, "staff_a", na_project, "submit_proposal"), "C10.1")
    assert "不同意" in v["message_zh"] and "reject" in v["message_en"]
    # a new panel concludes `revise`: the proposal may go
    second = form(api, na_project, experts=["ex.d", "ex.e", "ex.a"]).json()
    for who in ("ex.d", "ex.e", "ex.a"):
        give(as_user(pool[who]), second["id"], "revise", "修改后同意")
    conclude(api, second["id"], "revise", "修改后同意")
    r = transition(api, "staff_a", na_project, "submit_proposal")
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "proposal"


@pytest.mark.django_db
def test_c101_documents_alone_are_not_enough(na_project: Any, pool: Any, api: Any) -> None:
    upload(api, na_project, "needs_analysis_report")
    upload(api, na_project, "project_proposal")
    assert transition(api, "staff_a", na_project, "submit_proposal").status_code == 409


@pytest.mark.django_db
def test_ready_for_satisfies_c101(na_project: Any, api: Any) -> None:
    ready_for(na_project, "submit_proposal")
    ready_for(na_project, "submit_proposal")  # idempotent
    r = transition(api, "staff_a", na_project, "submit_proposal")
    assert r.status_code == 200, r.content
    from egovpm.reviews.models import ExpertReview

    assert ExpertReview.objects.filter(project=na_project).count() == 1


# ---------------------------------------------------------------- C10.1 on plain facts

BASE = ProjectFacts(
    stage="needs_analysis",
    lead_department_kind="central",
    documents=(
        DocumentFact("needs_analysis", "needs_analysis_report", dt.date(2026, 1, 1)),
        DocumentFact("needs_analysis", "project_proposal", dt.date(2026, 2, 1)),
    ),
    expert_reviews=(ExpertReviewFact(dt.date(2026, 1, 5), 3, 3, "approve", dt.date(2026, 1, 20)),),
)


def judge(rule: str, facts: ProjectFacts, action: str | None = "submit_proposal") -> engine.Result:
    pack = engine.load_pack("r2007")
    return engine.evaluate_rule(pack, pack.rule(rule), facts, Context(as_of=TODAY, action=action))


def test_c101_passes_with_everything() -> None:
    result = judge("C10.1", BASE)
    assert result.status == "pass" and "同意" in result.message_zh


def test_c101_small_panel_fails() -> None:
    facts = dataclasses.replace(BASE, expert_reviews=(ExpertReviewFact(dt.date(2026, 1, 5), 2, 2, "approve", TODAY),))
    assert "at least 3 experts" in judge("C10.1", facts).message_en


def test_c101_reject_allowed_when_the_parameter_is_off() -> None:
    facts = dataclasses.replace(BASE, expert_reviews=(ExpertReviewFact(dt.date(2026, 1, 5), 3, 3, "reject", TODAY),))
    pack = engine.load_pack("r2007")
    rule = pack.rule("C10.1")
    ctx = Context(as_of=TODAY, action="submit_proposal")
    assert engine.evaluate_rule(pack, rule, facts, ctx).status == "fail"
    lenient = dataclasses.replace(rule, params={**rule.params, "require_non_reject_conclusion": False})
    assert engine.evaluate_rule(pack, lenient, facts, ctx).status == "pass"


def test_c101_latest_conclusion_counts() -> None:
    reviews = (
        ExpertReviewFact(dt.date(2026, 1, 5), 3, 3, "approve", dt.date(2026, 1, 10)),
        ExpertReviewFact(dt.date(2026, 2, 5), 3, 3, "reject", dt.date(2026, 2, 10)),
    )
    assert judge("C10.1", dataclasses.replace(BASE, expert_reviews=reviews)).status == "fail"
    assert judge("C10.1", dataclasses.replace(BASE, expert_reviews=reviews[::-1][1:])).status == "pass"


def test_c101_compliance_before_the_proposal_is_not_applicable_listing_what_is_left() -> None:
    facts = dataclasses.replace(BASE, expert_reviews=(), documents=())
    result = judge("C10.1", facts, action=None)
    assert result.status == "not_applicable" and not result.blocks
    assert "需求分析报告" in result.message_zh and "专家评议" in result.message_zh
    assert judge("C10.1", BASE, action=None).status == "not_applicable"
    past = dataclasses.replace(facts, stage="feasibility_study")
    assert judge("C10.1", past, action=None).status == "fail"


def test_c101_without_records_is_not_applicable() -> None:
    facts = dataclasses.replace(BASE, expert_reviews=None)
    assert judge("C10.1", facts).status == "not_applicable"


@pytest.mark.django_db
def test_c101_as_of_ignores_later_conclusions(na_project: Any, api: Any) -> None:
    """The demo/test helper records the review dated before the action; compliance as of a date
    before the conclusion does not count it."""
    from egovpm.projects.selectors import project_compliance
    from egovpm.reviews.models import ExpertReview

    ready_for(na_project, "submit_proposal", dt.date(2026, 11, 16))
    transition(api, "staff_a", na_project, "submit_proposal")
    na_project.refresh_from_db()
    review = ExpertReview.objects.get(project=na_project)
    concluded_on = review.concluded_at.date()
    results = {r.rule: r for r in project_compliance(project=na_project)["results"]}
    assert results["C10.1"].status == "pass"
    earlier = {
        r.rule: r for r in project_compliance(project=na_project, as_of=concluded_on - dt.timedelta(days=1))["results"]
    }
    assert earlier["C10.1"].status == "not_applicable"  # the project had not reached the proposal then


# ---------------------------------------------------------------- C10.2


@pytest.fixture
def joint(personas: Any) -> Any:
    return make_project(personas["staff_a"], participating_departments=["prov"], joint_central_local=True)


@pytest.mark.django_db
def test_c102_names_the_local_participants_not_recorded(joint: Any, api: Any) -> None:
    v = violation(transition(api, "staff_a", joint, "submit_needs_analysis"), "C10.2")
    assert "某省政务服务局" in v["message_zh"] and "共同编制单位" in v["message_zh"]
    assert "prov" in v["message_en"] and "co-authors" in v["message_en"]
    r = api("staff_a").put(f"/api/v1/projects/{joint.pk}/needs-analysis", {"co_authors": ["prov"]}, format="json")
    assert r.status_code == 200
    assert r.json()["co_authors"] == ["prov"] and r.json()["missing_co_authors"] == []
    r = transition(api, "staff_a", joint, "submit_needs_analysis")
    assert r.status_code == 200, r.content


@pytest.mark.django_db
def test_c102_names_lead_and_participant_problems(personas: Any, api: Any) -> None:
    p = make_project(personas["staff_p"], joint_central_local=True)  # a local lead, no local participant
    v = violation(transition(api, "staff_p", p, "submit_needs_analysis"), "C10.2")
    assert "牵头部门应为中央部门" in v["message_zh"] and "至少需要一个地方参与部门" in v["message_zh"]
    assert "central" in v["message_en"] and "local participating" in v["message_en"]


@pytest.mark.django_db
def test_c102_not_applicable_to_other_projects(project: Any, api: Any) -> None:
    results = {x["rule"]: x for x in api("staff_a").get(f"/api/v1/projects/{project.pk}/compliance").json()["results"]}
    assert results["C10.2"]["status"] == "not_applicable"


@pytest.mark.django_db
def test_co_authors_must_participate_and_only_the_lead_records(joint: Any, api: Any) -> None:
    put = lambda persona, codes: api(persona).put(  # noqa: E731
        f"/api/v1/projects/{joint.pk}/needs-analysis", {"co_authors": codes}, format="json"
    )
    r = put("staff_a", ["mob"])
    assert r.status_code == 400
    assert r.json()["details_codes"]["co_authors"] == {"mob": {"code": "not_a_participant", "params": {}}}
    assert put("staff_a", ["nowhere"]).json()["details_codes"]["co_authors"] == {
        "nowhere": {"code": "unknown", "params": {"value": "nowhere"}}
    }
    assert put("staff_p", ["prov"]).status_code == 403
    assert put("ndrc", ["prov"]).status_code == 403
    assert put("staff_b", ["prov"]).status_code == 404


@pytest.mark.django_db
def test_co_authors_are_fixed_after_the_proposal(personas: Any, api: Any) -> None:
    from conftest import advance

    joint = make_project(personas["staff_a"], participating_departments=["prov"], joint_central_local=True)
    advance(joint, personas, "proposal")
    r = api("staff_a").put(f"/api/v1/projects/{joint.pk}/needs-analysis", {"co_authors": []}, format="json")
    assert r.status_code == 409


def test_c102_facts() -> None:
    joint = dataclasses.replace(BASE, joint_central_local=True, participating_department_kinds=("local", "local"))
    locals_ = (("p1", "甲省"), ("p2", "乙省"))
    result = judge(
        "C10.2", dataclasses.replace(joint, co_authors=CoAuthorsFact(locals_, ("p1",))), "submit_needs_analysis"
    )
    assert result.status == "fail" and "乙省" in result.message_zh and "甲省" not in result.message_zh
    result = judge("C10.2", dataclasses.replace(joint, co_authors=CoAuthorsFact(locals_, ("p1", "p2"))))
    assert result.status == "pass" and "甲省、乙省" in result.message_zh
