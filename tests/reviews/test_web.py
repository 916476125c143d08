"""The reviews pages through Django's test client: tab, list, pool, draw, opinion, conclusion, DOCX,
待办 and the C5.1 track-record panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import advance, make_project

from .conftest import form, give

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def tab(client: Client, project: Any) -> str:
    r = client.get(reverse("web:project_reviews", kwargs={"pk": project.pk}))
    assert r.status_code == 200
    return r.content.decode()


def test_nav_entry_and_list(na_project: Any, pool: Any, personas: Any, api: Any) -> None:
    form(api, na_project, experts=["ex.a", "ex.b", "ex.c"])
    page = login(personas["ndrc"]).get(reverse("web:review_list")).content.decode()
    assert "专家评议" in page and na_project.name in page and "专家库" in page
    expert_page = login(pool["ex.a"]).get(reverse("web:review_list")).content.decode()
    assert na_project.name in expert_page
    assert na_project.name not in login(pool["ex.d"]).get(reverse("web:review_list")).content.decode()
    # the placeholder "coming" entry is gone
    assert "专家评议 <small>" not in page


def test_ndrc_draws_a_panel_in_the_ui(na_project: Any, pool: Any, personas: Any) -> None:
    from egovpm.reviews.models import ExpertReview

    c = login(personas["ndrc"])
    html = tab(c, na_project)
    assert "组建专家组" in html and "随机抽取" in html
    r = c.post(
        reverse("web:review_form", kwargs={"pk": na_project.pk}),
        {"mode": "draw", "size": "3", "specialties": ["gov_apps"]},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    review = ExpertReview.objects.get(project=na_project)
    assert len(review.draw_seed) == 32
    detail = c.get(r.url).content.decode()
    assert "抽取记录" in detail and review.draw_seed in detail and "重放结果与记录的专家组一致" in detail


def test_conflict_shown_on_the_form(na_project: Any, pool: Any, personas: Any) -> None:
    r = login(personas["ndrc"]).post(
        reverse("web:review_form", kwargs={"pk": na_project.pk}),
        {"mode": "named", "experts": ["ex.a", "ex.b", "ex.lead"]},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "ex.lead" in body and "利益冲突" in body and "牵头" in body


def test_expert_gives_opinion_and_sees_todo(na_project: Any, pool: Any, personas: Any, api: Any) -> None:
    review = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"], due_on="2026-12-01").json()
    c = login(pool["ex.a"])
    inbox = c.get(reverse("web:inbox")).content.decode()
    assert "给出评议意见" in inbox and na_project.name in inbox
    page = c.get(reverse("web:review_detail", kwargs={"pk": review["id"]})).content.decode()
    assert "提交意见" in page and "项目概况" in page
    r = c.post(
        reverse("web:review_opinion", kwargs={"pk": review["id"]}), {"recommendation": "revise", "text": "请补充"}
    )
    assert r.status_code == 302
    assert "修改您的意见" in c.get(r.url).content.decode()
    bad = c.post(reverse("web:review_opinion", kwargs={"pk": review["id"]}), {"recommendation": "", "text": ""})
    assert bad.status_code == 400
    # another expert of the pool: 404
    assert login(pool["ex.d"]).get(reverse("web:review_detail", kwargs={"pk": review["id"]})).status_code == 404


def test_ndrc_concludes_and_downloads(na_project: Any, pool: Any, personas: Any, api: Any, as_user: Any) -> None:
    review = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).json()
    c = login(personas["ndrc"])
    url = reverse("web:review_conclude", kwargs={"pk": review["id"]})
    early = c.post(url, {"conclusion": "approve", "text": "同意"})
    assert early.status_code == 409 and "等待以下专家的意见" in early.content.decode()
    for who in ("ex.a", "ex.b", "ex.c"):
        give(as_user(pool[who]), review["id"])
    assert "记录专家组结论" in c.get(reverse("web:inbox")).content.decode()
    assert c.post(url, {"conclusion": "approve", "text": "同意"}).status_code == 302
    doc = c.get(reverse("web:review_document", kwargs={"pk": review["id"]}))
    assert doc.status_code == 200 and doc["Content-Type"].startswith("application/vnd.openxmlformats")
    staff_page = login(personas["staff_a"]).get(reverse("web:review_detail", kwargs={"pk": review["id"]}))
    assert "下载专家评议意见" in staff_page.content.decode()


def test_pool_page_is_ndrc_only(pool: Any, personas: Any) -> None:
    page = login(personas["ndrc"]).get(reverse("web:review_pool"))
    assert page.status_code == 200 and "ex.lead" in page.content.decode()
    assert login(personas["staff_a"]).get(reverse("web:review_pool")).status_code == 403
    assert login(pool["ex.a"]).get(reverse("web:review_pool")).status_code == 403


def test_pool_page_adds_and_toggles(personas: Any) -> None:
    from egovpm.accounts.services import user_add
    from egovpm.reviews.models import ExpertProfile, Specialty

    user_add(actor=None, username="pool.new", department_code="agency", roles=["expert"], password="x-Passw0rd-1234")
    c = login(personas["ndrc"])
    r = c.post(
        reverse("web:review_pool_expert"),
        {"user": "pool.new", "title": "教授", "specialties": ["gov_apps", "archives"], "active": "on"},
    )
    assert r.status_code == 302
    profile = ExpertProfile.objects.get(user__username="pool.new")
    assert profile.active and {s.code for s in profile.specialties.all()} == {"gov_apps", "archives"}
    c.post(reverse("web:review_pool_toggle", kwargs={"username": "pool.new"}))
    assert not ExpertProfile.objects.get(user__username="pool.new").active
    assert c.post(reverse("web:review_pool_specialty"), {"code": "cloud", "name": "云计算"}).status_code == 302
    assert Specialty.objects.filter(code="cloud").exists()
    assert c.post(reverse("web:review_pool_specialty"), {"code": "cloud", "name": "重复"}).status_code == 400


def test_lead_records_co_authors_in_the_ui(personas: Any) -> None:
    joint = make_project(personas["staff_a"], participating_departments=["prov"], joint_central_local=True)
    c = login(personas["staff_a"])
    html = tab(c, joint)
    assert "需求分析报告共同编制单位" in html and "尚未记录为共同编制单位" in html
    r = c.post(reverse("web:review_co_authors", kwargs={"pk": joint.pk}), {"co_authors": ["prov"]})
    assert r.status_code == 302
    assert "尚未记录为共同编制单位" not in tab(c, joint)
    assert (
        login(personas["staff_p"])
        .post(reverse("web:review_co_authors", kwargs={"pk": joint.pk}), {"co_authors": []})
        .status_code
        == 403
    )


def test_track_record_beside_a_new_proposal(project: Any, personas: Any) -> None:
    """C5.1's seam: NDRC looking at a proposal sees the department's other projects and their
    compliance summary, and the 自主可控 shares of the department's procurement (none recorded yet:
    nothing to divide, null shares — never an invented number)."""
    older = make_project(personas["staff_a"], name="早先的项目", business_unit="")
    advance(project, personas, "proposal")
    html = tab(login(personas["ndrc"]), project)
    assert "建设部门项目情况" in html and older.name in html and "C2.1" in html and "自主可控" in html
    assert "建设部门项目情况" not in tab(login(personas["staff_a"]), project)
    r = login(personas["ndrc"]).get(f"/api/v1/projects/{project.pk}/department-history")
    rows = {p["name"]: p for p in r.json()["projects"]}
    assert rows["早先的项目"]["failing"]["gate"] >= 1
    shares = r.json()["procurement_shares"]["key_total"]
    assert (shares["count_total"], shares["amount_share"], shares["count_share"]) == (0, None, None)


def test_track_record_is_bounded_and_agrees_with_a_full_evaluation(
    project: Any, personas: Any, monkeypatch: Any
) -> None:
    """The track record reads the stored verdicts: the same failing rules as a full evaluation of
    each project, the most recent first, bounded, with the number of the others and a link to them."""
    from egovpm.projects.selectors import project_compliance
    from egovpm.reviews import selectors

    others = [
        make_project(personas["staff_a"], name=f"旧项目{i}", business_unit="" if i % 2 else "业务处") for i in range(3)
    ]
    advance(project, personas, "proposal")
    monkeypatch.setattr(selectors, "HISTORY_LIMIT", 2)
    r = login(personas["ndrc"]).get(f"/api/v1/projects/{project.pk}/department-history").json()
    newest = sorted(others, key=lambda o: (-o.created_at.timestamp(), o.code))[:2]
    assert r["total"] == 3 and [p["name"] for p in r["projects"]] == [o.name for o in newest]
    for row in r["projects"]:
        full = project_compliance(project=next(o for o in others if o.name == row["name"]))["results"]
        assert row["rules"] == [x.rule for x in full if x.status in ("fail", "error")]
    html = tab(login(personas["ndrc"]), project)
    assert "另有 1 个项目" in html and f"?department={project.lead_department.code}" in html


def test_inspector_sees_no_reviews(na_project: Any, personas: Any) -> None:
    assert "无权查看" in tab(login(personas["inspector_assigned"]), na_project)
