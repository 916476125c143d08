"""The estimate over HTTP: entry before approval, C3.0 at the approval, the baseline snapshot,
immutability afterwards, and strict amounts (api.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from .conftest import actors, advance

pytestmark = pytest.mark.django_db

BODY = {
    "total": "1000000.00",
    "items": [
        {"code": "01", "name": "应用系统", "amount": "600000.00"},
        {"code": "02", "name": "基础设施", "amount": "300000.00"},
        {"code": "03", "name": "预备费", "amount": "100000.00"},
    ],
}


def _url(project: Any, name: str = "estimate") -> str:
    return reverse(f"api:{name}", kwargs={"project_id": str(project.pk)})


@pytest.mark.parametrize(
    "amount", [1000000, 1000000.0, "1e6", "-1000000.00", "1000000.001", "1,000,000.00", "", None, "12345678901234"]
)
def test_amounts_are_strict(project: Any, api: Any, amount: Any) -> None:
    response = api("staff_a").put(_url(project), {**BODY, "total": amount}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert "total" in response.json()["details"]


def test_line_amounts_are_strict_too(project: Any, api: Any) -> None:
    body = {**BODY, "items": [{**BODY["items"][0], "amount": 600000}]}
    response = api("staff_a").put(_url(project), body, format="json")
    assert response.status_code == 400


def test_draft_estimate_then_c30_gate_then_baseline(project: Any, api: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.models import Baseline

    client = api("staff_a")
    empty = client.get(_url(project)).json()
    assert (empty["status"], empty["items"]) == ("none", [])
    mismatch = {**BODY, "total": "1000000.01"}
    response = client.put(_url(project), mismatch, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["lines_sum"] == "1000000.00"
    project = advance(project, actors(personas), "preliminary_design")
    # the lines do not add up: C3.0 blocks the approval and says by how much
    transition = reverse("api:project-transition", kwargs={"project_id": str(project.pk)})
    refused = api("ndrc").post(
        transition, {"action": "approve_preliminary_design", "approval_reference": "发改高技〔2024〕9号"}, format="json"
    )
    assert refused.status_code == 409
    rules = {v["rule"]: v for v in refused.json()["details"]["violations"]}
    assert "C3.0" in rules and "-0.01" in rules["C3.0"]["message_zh"]
    assert client.put(_url(project), BODY, format="json").status_code == 200
    passed = api("ndrc").post(
        transition, {"action": "approve_preliminary_design", "approval_reference": "发改高技〔2024〕9号"}, format="json"
    )
    assert passed.status_code == 200, passed.content
    out = client.get(_url(project)).json()
    assert out["status"] == "approved"
    assert out["baseline_total"] == "1000000.00"
    assert out["self_adjusted_cumulative_ratio"] == "0"
    assert out["items"][0] == {
        "code": "01",
        "name": "应用系统",
        "baseline_amount": "600000.00",
        "current_amount": "600000.00",
    }
    baseline = Baseline.objects.get(project=project)
    assert (baseline.seq, baseline.approval_reference, baseline.approved_on) == (
        1,
        "发改高技〔2024〕9号",
        dt.date(2026, 11, 20),
    )
    # never edited again
    locked = client.put(_url(project), BODY, format="json")
    assert locked.status_code == 409
    assert locked.json()["code"] == "estimate_locked"
    with pytest.raises(ValueError):
        baseline.save()
    history = client.get(_url(project, "estimate-baselines")).json()["results"]
    assert [b["seq"] for b in history] == [1]


def test_no_estimate_blocks_the_approval(project: Any, personas: dict[str, Any]) -> None:
    from egovpm.core.errors import RuleViolation
    from egovpm.projects.services import project_transition

    project = advance(project, actors(personas), "preliminary_design")
    with pytest.raises(RuleViolation) as e:
        project_transition(actor=personas["ndrc"], project_id=project.pk, action="approve_preliminary_design")
    assert "C3.0" in [v["rule"] for v in e.value.details["violations"]]


def test_adjustment_api_shape(built: Any, api: Any) -> None:
    url = _url(built, "adjustments")
    body = {
        "items": [{"code": "01", "amount": "449999.99"}, {"code": "02", "amount": "450000.01"}],
        "goals_unchanged": True,
        "reason": "optimization",
        "description": "技术方案优化",
    }
    response = api("staff_a").post(url, body, format="json")
    assert response.status_code == 201, response.content
    out = response.json()
    assert {k: out[k] for k in ("route", "moved", "ratio", "cumulative_ratio", "failed", "status")} == {
        "route": "ndrc_approval",
        "moved": "150000.01",
        "ratio": "0.15000001",
        "cumulative_ratio": "0.15000001",
        "failed": ["over_15_percent"],
        "status": "pending",
    }
    preview = api("staff_a").post(
        _url(built, "adjustment-preview"),
        {"items": [{"code": "03", "amount": "0.00"}], "goals_unchanged": False, "reason": "other"},
        format="json",
    )
    assert preview.json()["failed"] == ["goals_changed", "reason_not_allowed"]
    for bad in (450000, "4.5e5", "-1.00", "1.001"):
        bad_body = {**body, "items": [{"code": "01", "amount": bad}]}
        assert api("staff_a").post(url, bad_body, format="json").status_code == 400
    listing = api("mof").get(url).json()
    assert listing["count"] == 1


def test_decide_answers_409_on_reroute_with_details(built: Any, api: Any) -> None:
    url = _url(built, "adjustments")

    def make(items: list[dict[str, str]]) -> str:
        body = {"items": items, "goals_unchanged": True, "reason": "schedule", "description": "进度调整"}
        return api("staff_a").post(url, body, format="json").json()["id"]

    first = make([{"code": "01", "amount": "500000.00"}, {"code": "02", "amount": "400000.00"}])
    second = make([{"code": "03", "amount": "30000.00"}])
    decide = lambda i: api("leader_a").post(  # noqa: E731
        reverse("api:adjustment-decide", kwargs={"adjustment_id": i}), {"decision": "approve"}, format="json"
    )
    assert decide(first).status_code == 200
    refused = decide(second)
    assert refused.status_code == 409
    assert refused.json()["code"] == "rerouted"
    assert refused.json()["details"]["cumulative_ratio"] == "0.17"
    # now the leader may not decide it at all: it is NDRC's
    assert decide(second).status_code == 403


def test_role_is_checked_before_the_input(built: Any, api: Any) -> None:
    """Order of checks: outside scope 404, wrong role 403 — even with a body that is not valid."""
    for name in ("adjustments", "adjustment-preview", "expenditures", "estimate"):
        method = "put" if name == "estimate" else "post"
        url = _url(built, name)
        assert getattr(api("staff_p"), method)(url, {"bad": 1}, format="json").status_code == 403, name
        assert getattr(api("staff_b"), method)(url, {"bad": 1}, format="json").status_code == 404, name
    url = _url(built, "expenditures-import")
    assert api("mof").post(url, {}, format="multipart").status_code == 403
