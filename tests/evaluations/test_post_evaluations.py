"""Post-evaluation through the API: who may record and read it, the bad inputs that change
nothing, the goals snapshot, templates and the computed scores."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import APPROVED, body, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/{}/post-evaluations"
TEMPLATES = "/api/v1/evaluation-templates"

SMALL_TREE = [
    {
        "name": "运行效率",
        "weight": "40",
        "dimension": "efficiency",
        "children": [{"name": "系统可用性", "weight": "70"}, {"name": "响应时间", "weight": "30"}],
    },
    {
        "name": "应用效果",
        "weight": "60",
        "dimension": "effect",
        "children": [{"name": "用户满意度", "weight": "50"}, {"name": "业务覆盖", "weight": "50"}],
    },
]


def _counts() -> tuple[int, int, int]:
    from egovpm.audit.models import AuditEvent
    from egovpm.evaluations.models import GoalRating, PostEvaluation

    return PostEvaluation.objects.count(), GoalRating.objects.count(), AuditEvent.objects.count()


def test_evaluator_records_and_everyone_with_the_file_reads_it(api: Any, operating: Any, report: Any) -> None:
    r = api("inspector_assigned").post(URL.format(operating.pk), body(report), format="json")
    assert r.status_code == 201, r.json()
    saved = r.json()
    assert saved["efficiency_score"] == "85" and saved["effect_score"] == "78" and saved["total_score"] is None
    assert [g["goal"] for g in saved["goals"]] == APPROVED
    assert saved["goals"][1]["rating"] == "partly_achieved"
    for persona in ("staff_a", "leader_a", "staff_p", "ndrc", "mof", "inspector_assigned"):
        listed = api(persona).get(URL.format(operating.pk))
        assert listed.status_code == 200, persona
        assert listed.json()["count"] == 1
    for persona, status in (("archivist_assigned", 403), ("expert_assigned", 404), ("staff_b", 404)):
        assert api(persona).get(URL.format(operating.pk)).status_code == status, persona


def test_ndrc_records_itself_and_it_is_audited(api: Any, operating: Any, report: Any) -> None:
    from egovpm.audit.models import AuditEvent

    r = api("ndrc").post(URL.format(operating.pk), body(report), format="json")
    assert r.status_code == 201, r.json()
    event = AuditEvent.objects.filter(action="post_evaluation.add").get()
    assert event.project_id == str(operating.pk)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff_a", 403),
        ("leader_a", 403),
        ("mof", 403),
        ("archivist_assigned", 403),
        ("inspector_other", 404),
        ("staff_b", 404),
        ("expert_assigned", 403),
    ],
)
def test_others_may_not_record(api: Any, operating: Any, report: Any, persona: str, status: int) -> None:
    client = api(persona)
    before = _counts()
    assert client.post(URL.format(operating.pk), body(report), format="json").status_code == status
    assert _counts() == before


def test_before_in_operation_is_409_and_nothing_changes(api: Any, project: Any, personas: Any) -> None:
    document = upload(personas, project)
    client = api("ndrc")
    before = _counts()
    r = client.post(URL.format(project.pk), body(document), format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"efficiency_score": 101}, "efficiency_score"),
        ({"efficiency_score": -1}, "efficiency_score"),
        ({"effect_score": 77.5}, "effect_score"),
        ({"effect_score": "78"}, None),  # digits as text are still a whole number: accepted below
        ({"effect_score": "七十八"}, "effect_score"),
        ({"effect_score": True}, "effect_score"),
        ({"effect_score": None}, "effect_score"),
        ({"conclusion": "great"}, "conclusion"),
        ({"evaluated_on": "2026-13-01"}, "evaluated_on"),
        ({"evaluated_on": "2026-11-21"}, "evaluated_on"),  # tomorrow in Beijing
        ({"evaluated_on": "2024-08-06"}, "evaluated_on"),  # before it went into operation
        ({"organisation": ""}, "organisation"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api: Any, operating: Any, report: Any, change: dict, field: str | None
) -> None:
    data = body(report)
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    client = api("inspector_assigned")
    before = _counts()
    r = client.post(URL.format(operating.pk), data, format="json")
    if field is None:
        assert r.status_code == 201, r.json()
        return
    assert r.status_code == 400, r.json()
    assert field in r.json()["details"]
    assert _counts() == before


def test_an_unrated_goal_is_400_naming_goals(api: Any, operating: Any, report: Any) -> None:
    data = body(report)
    data["goals"] = data["goals"][:2]
    client = api("inspector_assigned")
    before = _counts()
    r = client.post(URL.format(operating.pk), data, format="json")
    assert r.status_code == 400
    assert "goals" in r.json()["details"]
    assert APPROVED[2] in r.json()["details"]["goals"]
    assert _counts() == before


@pytest.mark.parametrize(
    "goals",
    [
        [{"goal": "不存在的目标", "rating": "achieved"}],
        [{"goal": APPROVED[0], "rating": "achieved"}, {"goal": APPROVED[0], "rating": "achieved"}],
        "all achieved",
    ],
)
def test_unknown_or_twice_rated_goals_are_400(api: Any, operating: Any, report: Any, goals: Any) -> None:
    data = body(report)
    data["goals"] = goals if isinstance(goals, str) else goals + data["goals"][1:]
    r = api("inspector_assigned").post(URL.format(operating.pk), data, format="json")
    assert r.status_code == 400
    assert "goals" in r.json()["details"]


def test_a_bad_rating_is_400(api: Any, operating: Any, report: Any) -> None:
    data = body(report)
    data["goals"][0]["rating"] = "excellent"
    r = api("inspector_assigned").post(URL.format(operating.pk), data, format="json")
    assert r.status_code == 400
    assert "goals[0].rating" in r.json()["details"]


def test_the_report_must_be_this_projects_post_evaluation_report(
    api: Any, operating: Any, report: Any, personas: Any, other_project: Any
) -> None:
    wrong_category = upload(personas, operating, category="other")
    r = api("ndrc").post(URL.format(operating.pk), body(wrong_category), format="json")
    assert r.status_code == 400 and "report" in r.json()["details"]
    from conftest import PERSONAS  # noqa: F401 - the personas exist

    foreign = upload({"staff_a": personas["staff_b"]}, other_project)
    r = api("ndrc").post(URL.format(operating.pk), body(foreign), format="json")
    assert r.status_code == 400 and "report" in r.json()["details"]


def test_goals_snapshot_is_immune_to_later_edits(api: Any, operating: Any, report: Any, personas: Any) -> None:
    from egovpm.projects.models import Project

    Project.objects.filter(pk=operating.pk).update(construction_goals="完全不同的目标")
    r = api("inspector_assigned").post(URL.format(operating.pk), body(report), format="json")
    assert r.status_code == 201, r.json()
    data = body(report)
    data["goals"] = [{"goal": "完全不同的目标", "rating": "achieved"}]
    assert api("inspector_assigned").post(URL.format(operating.pk), data, format="json").status_code == 400


# ------------------------------------------------------------------ templates


def test_templates_ndrc_writes_evaluators_read(api: Any, personas: Any) -> None:
    r = api("ndrc").post(TEMPLATES, {"name": "后评价指标体系", "indicators": SMALL_TREE}, format="json")
    assert r.status_code == 201, r.json()
    created = r.json()
    assert created["version"] == 1 and created["leaves"] == 4
    assert created["indicators"][1]["children"][0]["code"] == "2.1"
    again = api("ndrc").post(TEMPLATES, {"name": "后评价指标体系", "indicators": SMALL_TREE}, format="json")
    assert again.json()["version"] == 2
    for persona in ("ndrc", "inspector_assigned", "inspector_other"):
        assert api(persona).get(TEMPLATES).json()["count"] == 2
        assert api(persona).get(f"{TEMPLATES}/{created['id']}").status_code == 200
    for persona in ("staff_a", "mof", "expert_assigned", "archivist_assigned", "sys_admin"):
        assert api(persona).get(TEMPLATES).status_code == 403, persona
        assert api(persona).post(TEMPLATES, {"name": "x", "indicators": SMALL_TREE}, format="json").status_code == 403
    assert api("ndrc").get(f"{TEMPLATES}/00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda t: t[0]["children"][1].update(weight="20"), "indicators[0].children"),
        (lambda t: t[1].update(weight="50"), "indicators"),
        (lambda t: t[1]["children"][0].update(weight=50.0), "indicators[1].children[0].weight"),
        (lambda t: t[1]["children"][0].update(weight="12.345"), "indicators[1].children[0].weight"),
        (lambda t: t[1]["children"][0].update(weight="0"), "indicators[1].children[0].weight"),
        (lambda t: t[0].update(dimension="speed"), "indicators[0].dimension"),
        (lambda t: t[0]["children"][0].update(dimension="effect"), "indicators[0].children[0].dimension"),
        (lambda t: t[1].update(dimension="efficiency"), "indicators"),
        (lambda t: t[0]["children"][0].update(name=""), "indicators[0].children[0].name"),
    ],
)
def test_a_bad_tree_is_400_naming_the_node(api: Any, mutate: Any, path: str) -> None:
    import copy

    from egovpm.evaluations.models import EvaluationTemplate

    tree = copy.deepcopy(SMALL_TREE)
    mutate(tree)
    r = api("ndrc").post(TEMPLATES, {"name": "坏模板", "indicators": tree}, format="json")
    assert r.status_code == 400, r.json()
    assert path in r.json()["details"], r.json()["details"]
    assert not EvaluationTemplate.objects.exists()


def _template(api: Any) -> dict[str, Any]:
    r = api("ndrc").post(TEMPLATES, {"name": "后评价指标体系", "indicators": SMALL_TREE}, format="json")
    assert r.status_code == 201
    return r.json()


def test_scores_from_a_template_are_computed_exactly(api: Any, operating: Any, report: Any) -> None:
    template = _template(api)
    scores = {"1.1": 90, "1.2": 75, "2.1": 81, "2.2": 66}
    data = body(report, efficiency_score=None, effect_score=None, template=template["id"], scores=scores)
    r = api("inspector_assigned").post(URL.format(operating.pk), data, format="json")
    assert r.status_code == 201, r.json()
    saved = r.json()
    # by hand: efficiency = 0.7×90 + 0.3×75 = 85.5; effect = 0.5×81 + 0.5×66 = 73.5;
    # total = 0.4×85.5 + 0.6×73.5 = 34.2 + 44.1 = 78.3
    assert saved["efficiency_score"] == "85.5"
    assert saved["effect_score"] == "73.5"
    assert saved["total_score"] == "78.3"
    assert saved["template"] == {"id": template["id"], "name": "后评价指标体系", "version": 1}
    assert saved["scores"] == scores


def test_entered_scores_are_refused_with_a_template(api: Any, operating: Any, report: Any) -> None:
    template = _template(api)
    scores = {"1.1": 90, "1.2": 75, "2.1": 81, "2.2": 66}
    r = api("ndrc").post(URL.format(operating.pk), body(report, template=template["id"], scores=scores), format="json")
    assert r.status_code == 400
    assert {"efficiency_score", "effect_score"} <= set(r.json()["details"])


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"1.1": 90, "1.2": 75, "2.1": 81}, "scores"),
        ({"1.1": 90, "1.2": 75, "2.1": 81, "2.2": 66, "9.9": 1}, "scores"),
        ({"1.1": 90, "1.2": 75.5, "2.1": 81, "2.2": 66}, "scores.1.2"),
        ({"1.1": 90, "1.2": 101, "2.1": 81, "2.2": 66}, "scores.1.2"),
        ({"1.1": False, "1.2": 75, "2.1": 81, "2.2": 66}, "scores.1.1"),
    ],
)
def test_bad_leaf_scores_are_400(api: Any, operating: Any, report: Any, scores: dict, field: str) -> None:
    template = _template(api)
    data = body(report, efficiency_score=None, effect_score=None, template=template["id"], scores=scores)
    client = api("ndrc")
    before = _counts()
    r = client.post(URL.format(operating.pk), data, format="json")
    assert r.status_code == 400
    assert field in r.json()["details"], r.json()["details"]
    assert _counts() == before


def test_a_new_template_version_never_changes_a_recorded_evaluation(api: Any, operating: Any, report: Any) -> None:
    import copy

    template = _template(api)
    scores = {"1.1": 90, "1.2": 75, "2.1": 81, "2.2": 66}
    data = body(report, efficiency_score=None, effect_score=None, template=template["id"], scores=scores)
    assert api("ndrc").post(URL.format(operating.pk), data, format="json").status_code == 201
    changed = copy.deepcopy(SMALL_TREE)
    changed[0]["weight"], changed[1]["weight"] = "50", "50"
    newer = api("ndrc").post(TEMPLATES, {"name": "后评价指标体系", "indicators": changed}, format="json").json()
    assert newer["version"] == 2 and newer["id"] != template["id"]
    listed = api("ndrc").get(URL.format(operating.pk)).json()["results"][0]
    assert listed["total_score"] == "78.3"
    assert listed["template"]["version"] == 1
    assert api("ndrc").get(f"{TEMPLATES}/{template['id']}").json()["indicators"][0]["weight"] == "40"


def test_two_first_versions_at_once_is_409_not_500(api: Any, personas: Any, monkeypatch: Any) -> None:
    from egovpm.core.errors import Conflict
    from egovpm.evaluations import services
    from egovpm.evaluations.models import EvaluationTemplate

    services.template_add(actor=personas["ndrc"], name="并发模板", indicators=SMALL_TREE)
    # the other writer did not see the first version yet (as if both read before either wrote)
    monkeypatch.setattr(EvaluationTemplate.objects, "select_for_update", lambda: EvaluationTemplate.objects.none())
    with pytest.raises(Conflict):
        services.template_add(actor=personas["ndrc"], name="并发模板", indicators=SMALL_TREE)
    assert EvaluationTemplate.objects.count() == 1
