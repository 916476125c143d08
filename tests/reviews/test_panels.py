"""Panels (domain.md §10): conflicts of interest, the reproducible draw, the panel-size parameter."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from .conftest import form

pytestmark = pytest.mark.django_db


def test_named_panel_assigns_the_experts(na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, experts=["ex.a", "ex.b", "ex.e"], due_on="2026-12-04")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["formed_by"] == "named"
    assert [e["username"] for e in data["experts"]] == ["ex.a", "ex.b", "ex.e"]
    assert data["status"] == "open" and data["due_on"] == "2026-12-04"
    tasks = set(na_project.assignments.filter(task="expert").values_list("user__username", flat=True))
    assert {"ex.a", "ex.b", "ex.e"} <= tasks
    # the assignment lets the expert open the project summary
    from egovpm.accounts.auth import token_issue

    assert api(None).get(f"/api/v1/projects/{na_project.pk}").status_code == 401
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=pool['ex.a'])}")
    assert c.get(f"/api/v1/projects/{na_project.pk}").status_code == 200


@pytest.mark.parametrize(
    ("expert", "reason"),
    [("ex.lead", ("department_leads", "moa")), ("ex.part", ("department_participates", "prov"))],
)
def test_conflict_of_interest_is_400_naming_expert_and_reason(
    expert: str, reason: tuple[str, str], na_project: Any, pool: Any, api: Any
) -> None:
    from egovpm.reviews.models import ExpertReview

    r = form(api, na_project, experts=["ex.a", "ex.b", expert])
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "conflict_of_interest"
    assert expert in body["message"]
    assert list(body["details"]["experts"]) == [expert]
    code, department = reason
    assert body["details_codes"]["experts"] == {expert: {"code": code, "params": {"code": department}}}
    assert "利益冲突" in body["details"]["experts"][expert] and department in body["details"]["experts"][expert]
    assert not ExpertReview.objects.exists()
    assert not na_project.assignments.filter(user__username__in=["ex.a", "ex.b"]).exists()


def test_both_conflicts_named_at_once(na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, experts=["ex.lead", "ex.part", "ex.a"])
    assert r.status_code == 400
    assert set(r.json()["details"]["experts"]) == {"ex.lead", "ex.part"}


@pytest.mark.parametrize(
    ("who", "why"),
    [("staff_a", "lacks_expert_role"), ("expert_other", "outside_pool"), ("nobody", "unknown_or_disabled")],
)
def test_named_experts_must_be_in_the_pool(who: str, why: str, na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, experts=["ex.a", "ex.b", who])
    assert r.status_code == 400
    assert r.json()["details_codes"]["experts"][who] == {"code": why, "params": {}}
    assert r.json()["details"]["experts"][who]  # the words, in the request's language


def test_inactive_expert_is_refused(na_project: Any, pool: Any, personas: Any, api: Any) -> None:
    from egovpm.reviews.services import expert_profile_set

    expert_profile_set(actor=personas["ndrc"], username="ex.c", active=False)
    r = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"])
    assert r.status_code == 400
    assert r.json()["details_codes"]["experts"]["ex.c"]["code"] == "inactive_in_pool"


def test_panel_size_minimum_is_the_pack_parameter(na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, experts=["ex.a", "ex.b"])
    assert r.status_code == 400 and r.json()["code"] == "panel_too_small"
    r = form(api, na_project, draw={"size": 2})
    assert r.status_code == 400 and r.json()["code"] == "panel_too_small"
    assert form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).status_code == 201


def test_panel_size_follows_a_changed_parameter(na_project: Any, pool: Any, api: Any, monkeypatch: Any) -> None:
    from egovpm.rules import engine

    pack = engine.load_pack("r2007")
    rules = tuple(
        dataclasses.replace(r, params={**r.params, "min_panel_size": 5}) if r.id == "C10.1" else r for r in pack.rules
    )
    monkeypatch.setattr(engine, "load_pack", lambda regime: dataclasses.replace(pack, rules=rules))
    r = form(api, na_project, experts=["ex.a", "ex.b", "ex.c", "ex.d"])
    assert r.status_code == 400 and r.json()["reason"] == {
        "code": "panel_too_small",
        "params": {"minimum": 5, "named": 4},
    }
    assert "5" in r.json()["message"]
    assert form(api, na_project, experts=["ex.a", "ex.b", "ex.c", "ex.d", "ex.e"]).status_code == 201


def test_default_minimum_is_three() -> None:
    from egovpm.reviews.selectors import min_panel_size
    from egovpm.rules import engine

    assert engine.load_pack("r2007").rule("C10.1").params["min_panel_size"] == 3
    assert min_panel_size() == 3


def test_draw_excludes_conflicts_and_records_everything(na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, draw={"size": 3, "specialties": ["gov_apps"]})
    assert r.status_code == 201, r.content
    data = r.json()
    draw = data["draw"]
    assert len(draw["seed"]) == 32 and draw["size"] == 3 and draw["specialties"] == ["gov_apps"]
    # every active gov_apps expert, ordered, minus the conflicts; ex.c has another specialty
    assert draw["candidates"] == ["ex.a", "ex.b", "ex.d", "ex.e"]
    assert {x["expert"]: x["reason"] for x in draw["excluded"]} == {
        "ex.lead": "conflict of interest: their department moa leads the project",
        "ex.part": "conflict of interest: their department prov participates in the project",
    }
    chosen = [e["username"] for e in data["experts"]]
    assert len(chosen) == 3 and set(chosen) <= set(draw["candidates"])


def test_draw_is_reproducible_and_replayable(na_project: Any, pool: Any, api: Any) -> None:
    from egovpm.reviews.models import ExpertReview
    from egovpm.reviews.selectors import draw_replay, draw_select

    first = form(api, na_project, draw={"size": 3}).json()
    recorded = [e["username"] for e in first["experts"]]
    seed = first["draw"]["seed"]
    # the same seed and candidates give the same panel, whatever the order they are handed in
    assert draw_select(seed, first["draw"]["candidates"], 3) == recorded
    assert draw_select(seed, list(reversed(first["draw"]["candidates"])), 3) == recorded
    # and independently of our code: rank by SHA-256("<seed>:<username>"), take the first three
    import hashlib

    ranked = sorted(first["draw"]["candidates"], key=lambda u: hashlib.sha256(f"{seed}:{u}".encode()).hexdigest())
    assert sorted(ranked[:3]) == sorted(recorded)
    review = ExpertReview.objects.get(pk=first["id"])
    replay = draw_replay(review=review)
    assert replay is not None and replay.matches and replay.replayed == recorded
    r = api("ndrc").get(f"/api/v1/expert-reviews/{review.pk}/draw")
    assert r.status_code == 200 and r.json()["matches"] is True and r.json()["recorded"] == recorded
    # a tampered record no longer replays
    review.draw_candidates = [c for c in review.draw_candidates if c != recorded[0]] + ["ex.z"]
    review.save(update_fields=["draw_candidates"])
    assert api("ndrc").get(f"/api/v1/expert-reviews/{review.pk}/draw").json()["matches"] is False


def test_different_seeds_can_give_different_panels(pool: Any) -> None:
    from egovpm.reviews.selectors import draw_select

    candidates = [f"e{i:02d}" for i in range(20)]
    panels = {tuple(draw_select(f"s{i}", candidates, 3)) for i in range(10)}
    assert len(panels) > 1
    for p in panels:
        assert len(set(p)) == 3 and set(p) <= set(candidates)


def test_draw_refuses_when_the_pool_is_too_small(na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, draw={"size": 3, "specialties": ["network_security"]})
    assert r.status_code == 400 and r.json()["code"] == "pool_too_small"
    r = form(api, na_project, draw={"size": 5, "specialties": ["gov_apps"]})
    assert r.status_code == 400


def test_draw_without_seed_records_a_random_one(na_project: Any, pool: Any, api: Any) -> None:
    data = form(api, na_project, draw={"size": 3}).json()
    assert len(data["draw"]["seed"]) == 32


def test_named_panel_has_no_draw(na_project: Any, pool: Any, api: Any) -> None:
    data = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).json()
    assert data["draw"] is None
    assert api("ndrc").get(f"/api/v1/expert-reviews/{data['id']}/draw").status_code == 409


@pytest.mark.parametrize(
    "body", [{}, {"experts": ["ex.a", "ex.b", "ex.c"], "draw": {"size": 3}}, {"experts": ["ex.a", "ex.a", "ex.b"]}]
)
def test_bad_bodies_are_400(body: dict[str, Any], na_project: Any, pool: Any, api: Any) -> None:
    assert form(api, na_project, **body).status_code == 400


def test_unknown_specialty_is_400(na_project: Any, pool: Any, api: Any) -> None:
    r = form(api, na_project, draw={"size": 3, "specialties": ["astrology"]})
    assert r.status_code == 400 and "astrology" in r.json()["message"]


def test_panel_only_in_needs_analysis(project: Any, pool: Any, api: Any) -> None:
    r = form(api, project, experts=["ex.a", "ex.b", "ex.c"])  # still a draft
    assert r.status_code == 409 and r.json()["code"] == "wrong_stage"


def test_one_open_panel_at_a_time(na_project: Any, pool: Any, api: Any) -> None:
    assert form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).status_code == 201
    r = form(api, na_project, experts=["ex.d", "ex.b", "ex.e"])
    assert r.status_code == 409 and r.json()["code"] == "review_open"


def test_forming_is_audited(na_project: Any, pool: Any, api: Any) -> None:
    from egovpm.audit.models import AuditEvent

    data = form(api, na_project, draw={"size": 3}).json()
    event = AuditEvent.objects.get(action="review.form")
    assert event.object_id == data["id"] and event.new["draw_seed"] == data["draw"]["seed"]
    assert event.new["experts"] == [e["username"] for e in data["experts"]]


# ---------------------------------------------------------------- the pool over the API


def test_ndrc_manages_the_pool(personas: Any, api: Any) -> None:
    from egovpm.accounts.services import user_add

    user_add(actor=None, username="new.one", department_code="agency", roles=["expert"], password="x-Passw0rd-123")
    ndrc = api("ndrc")
    r = ndrc.post(
        "/api/v1/experts", {"user": "new.one", "specialties": ["archives"], "title": "研究馆员"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json() == {
        "username": "new.one",
        "name": "new.one",
        "department": "agency",
        "title": "研究馆员",
        "specialties": ["archives"],
        "active": True,
    }
    assert (
        ndrc.post("/api/v1/experts", {"user": "new.one", "specialties": ["archives"]}, format="json").status_code == 409
    )
    assert (
        ndrc.post("/api/v1/experts", {"user": "staff_a", "specialties": ["archives"]}, format="json").status_code == 400
    )
    r = ndrc.patch("/api/v1/experts/new.one", {"active": False}, format="json")
    assert r.status_code == 200 and r.json()["active"] is False
    assert [e["username"] for e in ndrc.get("/api/v1/experts", {"active": "true"}).json()["results"]] == []
    assert ndrc.patch("/api/v1/experts/nobody", {"active": False}, format="json").status_code == 404
    r = ndrc.post("/api/v1/specialties", {"code": "ai", "name": "人工智能", "name_en": "AI"}, format="json")
    assert r.status_code == 201
    assert "ai" in [s["code"] for s in api("staff_a").get("/api/v1/specialties").json()["results"]]
    assert ndrc.post("/api/v1/specialties", {"code": "ai", "name": "重复"}, format="json").status_code == 409


def test_seeded_specialties(db: Any) -> None:
    from egovpm.reviews.models import Specialty

    assert set(Specialty.objects.values_list("name", flat=True)) >= {
        "政务应用",
        "网络与安全",
        "数据资源",
        "投资概算",
        "档案管理",
    }


def test_the_caller_cannot_choose_the_seed(na_project: Any, pool: Any, api: Any) -> None:
    """A chosen seed could be searched offline for a wanted panel: refused, nothing formed."""
    from egovpm.reviews.models import ExpertReview

    r = form(api, na_project, draw={"size": 3, "seed": "7"})
    assert r.status_code == 400
    assert not ExpertReview.objects.filter(project=na_project).exists()
