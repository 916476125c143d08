"""Opinions, conclusion and the expert-opinion record; who sees what (domain.md §2: experts see only
what they are assigned to; opinions stay independent until the panel concludes)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from .conftest import conclude, form, give

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(na_project: Any, pool: Any, api: Any) -> dict[str, Any]:
    r = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"])
    assert r.status_code == 201
    return r.json()


def url(review: dict[str, Any], tail: str = "") -> str:
    return f"/api/v1/expert-reviews/{review['id']}{tail}"


def test_opinion_once_and_changeable_until_concluded(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    from egovpm.audit.models import AuditEvent
    from egovpm.reviews.models import Opinion

    a = as_user(pool["ex.a"])
    assert give(a, review["id"], "revise", "请补充数据共享需求").status_code == 201
    r = give(a, review["id"], "approve", "补充后同意")
    assert r.status_code == 200
    assert Opinion.objects.filter(expert=pool["ex.a"]).count() == 1
    o = Opinion.objects.get(expert=pool["ex.a"])
    assert (o.recommendation, o.text) == ("approve", "补充后同意")
    change = AuditEvent.objects.get(action="review.opinion.change")
    assert change.old["recommendation"] == "revise" and change.new["recommendation"] == "approve"
    for who in ("ex.b", "ex.c"):
        give(as_user(pool[who]), review["id"])
    assert conclude(api, review["id"]).status_code == 200
    r = give(a, review["id"], "reject", "改变主意")
    assert r.status_code == 409 and r.json()["code"] == "review_concluded"
    assert Opinion.objects.get(expert=pool["ex.a"]).recommendation == "approve"


@pytest.mark.parametrize(
    "body", [{"recommendation": "maybe", "text": "x"}, {"recommendation": "approve", "text": ""}, {"text": "x"}]
)
def test_bad_opinions_are_400(body: Any, review: Any, pool: Any, as_user: Any) -> None:
    assert as_user(pool["ex.a"]).post(url(review, "/opinions"), body, format="json").status_code == 400


def test_only_panel_members_give_opinions(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    assert give(api("ndrc"), review["id"]).status_code == 403
    assert give(api("staff_a"), review["id"]).status_code == 403
    # an expert outside the panel (not assigned to the project) does not even see the review
    assert give(as_user(pool["ex.d"]), review["id"]).status_code == 404
    # assigned to the project (for another task) but not on this panel: still 404
    assert give(api("expert_assigned"), review["id"]).status_code == 404


def test_experts_see_only_their_own_reviews(
    na_project: Any, other_project: Any, pool: Any, as_user: Any, api: Any, personas: Any
) -> None:
    from conftest import ready_for
    from egovpm.projects.services import project_transition

    mine = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).json()
    ready_for(other_project, "submit_needs_analysis")
    project_transition(actor=personas["staff_b"], project_id=other_project.pk, action="submit_needs_analysis")
    theirs = form(api, other_project, experts=["ex.d", "ex.b", "ex.lead"]).json()  # ex.lead (moa) has no conflict here
    a, b, d = as_user(pool["ex.a"]), as_user(pool["ex.b"]), as_user(pool["ex.d"])
    assert [r["id"] for r in a.get("/api/v1/expert-reviews").json()["results"]] == [mine["id"]]
    assert {r["id"] for r in b.get("/api/v1/expert-reviews").json()["results"]} == {mine["id"], theirs["id"]}
    assert [r["id"] for r in d.get("/api/v1/expert-reviews").json()["results"]] == [theirs["id"]]
    assert a.get(f"/api/v1/expert-reviews/{theirs['id']}").status_code == 404
    assert a.get(f"/api/v1/projects/{other_project.pk}/expert-reviews").status_code == 404
    assert {r["id"] for r in api("ndrc").get("/api/v1/expert-reviews").json()["results"]} == {mine["id"], theirs["id"]}
    assert [r["id"] for r in api("staff_a").get("/api/v1/expert-reviews").json()["results"]] == [mine["id"]]
    assert api("expert_other").get("/api/v1/expert-reviews").json()["results"] == []
    assert api("sys_admin").get("/api/v1/expert-reviews").status_code == 403  # 三员分立: no business data


def test_opinions_are_independent_until_the_conclusion(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    a, b, c = (as_user(pool[x]) for x in ("ex.a", "ex.b", "ex.c"))
    give(a, review["id"], "approve", "A 的意见")
    give(b, review["id"], "revise", "B 的意见")
    seen = a.get(url(review)).json()["opinions"]
    assert [o["expert"] for o in seen] == ["ex.a"]
    assert [o["expert"] for o in c.get(url(review)).json()["opinions"]] == []
    assert {o["expert"] for o in api("ndrc").get(url(review)).json()["opinions"]} == {"ex.a", "ex.b"}
    staff = api("staff_a").get(url(review)).json()
    assert staff["opinions"] == [] and staff["experts"] is None and staff["panel_size"] == 3
    assert staff["draw"] is None
    give(c, review["id"], "approve", "C 的意见")
    conclude(api, review["id"])
    for client in (a, api("staff_a"), api("staff_p"), api("mof")):
        assert {o["expert"] for o in client.get(url(review)).json()["opinions"]} == {"ex.a", "ex.b", "ex.c"}


def test_another_panel_of_the_same_project_stays_hidden(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    """After a `revise` conclusion NDRC forms a new panel: the first panel's experts (still assigned
    to the project) cannot see it or its opinions."""
    for who in ("ex.a", "ex.b", "ex.c"):
        give(as_user(pool[who]), review["id"], "revise", "需修改")
    conclude(api, review["id"], "revise", "修改后重新评议")
    second = form(api, _project(review), experts=["ex.d", "ex.e", "ex.b"]).json()
    give(as_user(pool["ex.d"]), second["id"], "approve", "D 同意")
    a = as_user(pool["ex.a"])
    assert a.get(f"/api/v1/expert-reviews/{second['id']}").status_code == 404
    page = a.get(f"/api/v1/projects/{review['project']}/expert-reviews").json()
    assert [r["id"] for r in page["results"]] == [review["id"]]
    # ex.b sits on both: sees the second panel but not ex.d's opinion before its conclusion
    assert as_user(pool["ex.b"]).get(f"/api/v1/expert-reviews/{second['id']}").json()["opinions"] == []


def _project(review: Any) -> Any:
    from egovpm.projects.models import Project

    return Project.objects.get(pk=review["project"])


def test_conclusion_waits_for_every_opinion(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    give(as_user(pool["ex.a"]), review["id"])
    r = conclude(api, review["id"])
    assert r.status_code == 409 and r.json()["code"] == "opinions_missing"
    assert r.json()["details"]["waiting_for"] == ["ex.b", "ex.c"]


@pytest.mark.parametrize("body", [{"conclusion": "ok", "text": "x"}, {"conclusion": "approve", "text": ""}])
def test_bad_conclusions_are_400(body: Any, review: Any, api: Any) -> None:
    assert api("ndrc").post(url(review, "/conclude"), body, format="json").status_code == 400


def test_conclusion_is_an_immutable_record(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    from egovpm.reviews.models import ExpertReview
    from egovpm.reviews.services import record_digest

    for who, rec in (("ex.a", "approve"), ("ex.b", "revise"), ("ex.c", "approve")):
        give(as_user(pool[who]), review["id"], rec, f"{who} 的意见")
    r = conclude(api, review["id"], "revise", "修改完善后同意")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "concluded" and data["conclusion"] == "revise" and data["concluded_by"] == "ndrc"
    stored = ExpertReview.objects.get(pk=review["id"])
    assert stored.record["conclusion"] == "revise"
    assert [m["opinion"]["recommendation"] for m in stored.record["panel"]] == ["approve", "revise", "approve"]
    assert stored.record_sha256 == record_digest(stored.record) == data["record_sha256"]
    again = conclude(api, review["id"], "approve", "改结论")
    assert again.status_code == 409 and again.json()["code"] == "review_concluded"
    assert ExpertReview.objects.get(pk=review["id"]).record_sha256 == stored.record_sha256


def test_docx_expert_opinion(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    from docx import Document

    assert api("ndrc").get(url(review, "/document")).status_code == 409
    for who in ("ex.a", "ex.b", "ex.c"):
        give(as_user(pool[who]), review["id"], "approve", f"{who}：需求分析全面，同意。")
    conclude(api, review["id"], "approve", "专家组同意该需求分析报告。")
    for client in (api("ndrc"), api("staff_a"), as_user(pool["ex.b"]), api("mof")):
        r = client.get(url(review, "/document"))
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "专家评议意见" in text and "专家组同意该需求分析报告。" in text
    assert "ex.a：需求分析全面，同意。" in text
    assert len(doc.tables[0].rows) == 4
    fonts = doc.paragraphs[0].runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    assert r["X-Record-SHA256"] in text


def test_opinion_attachment(review: Any, pool: Any, as_user: Any, api: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = as_user(pool["ex.a"])
    body = {
        "recommendation": "revise",
        "text": "详见附件",
        "attachment": SimpleUploadedFile("意见.txt", "附件内容".encode(), content_type="text/plain"),
    }
    r = a.post(url(review, "/opinions"), body, format="multipart")
    assert r.status_code == 201, r.content
    att = r.json()["opinions"][0]["attachment"]
    assert att["name"] == "意见.txt" and len(att["sha256"]) == 64 and len(att["sm3"]) == 64
    got = a.get(url(review, "/opinions/ex.a/attachment"))
    assert got.status_code == 200 and b"".join(got.streaming_content) == "附件内容".encode()
    # staff of the lead department: not before the conclusion
    assert api("staff_a").get(url(review, "/opinions/ex.a/attachment")).status_code == 404
