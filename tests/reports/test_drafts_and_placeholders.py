"""Issue 15 item 6: a report's draft is saved and pre-filled before its period ends (submission still
waits for the day after); the pre-fill's prompts 【待填写：…】 left in block a submission (400 naming
the sections, nothing changed, shown on the form); the PDF link appears only where PDF can be
rendered, and otherwise the page says so in Chinese — the PDF route answers a Chinese page, the API
its error code.

On the pinned date (2026-11-20) `building` owes 2025-H1 and 2025 (ended, overdue) and 2026-H1 (ended)
and 2026 (running until 31 December)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from egovpm.audit.models import AuditEvent
from egovpm.reports import rendering
from egovpm.reports.models import ReportDraft, ReportSubmission

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db

RUNNING = "2026"  # the period not ended yet
ENDED = "2025-H1"


def draft_url(project: Any, period: str) -> str:
    return f"/api/v1/projects/{project.pk}/reports/{period}/draft"


def page(project: Any, period: str, action: str = "") -> str:
    name = f"web:report_{action}" if action else "web:report_detail"
    return reverse(name, kwargs={"pk": project.pk, "period": period})


@pytest.fixture
def browser(personas: dict[str, Any]) -> Any:
    def client(persona: str) -> Client:
        c = Client()
        c.force_login(personas[persona])
        return c

    return client


def _changed() -> tuple[int, int, int]:
    return (
        ReportSubmission.objects.count(),
        ReportDraft.objects.count(),
        AuditEvent.objects.filter(action__startswith="report.").count(),
    )


# ---------------------------------------------------------------- drafts (API)


def test_a_draft_is_prefilled_and_saved_before_the_period_ends(building: Any, api: Any) -> None:
    r = api("staff_a").get(draft_url(building, RUNNING))
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["origin"] == "records" and body["submittable"] is False and body["saved_at"] is None
    # pre-filled from the records: the stage, the period, the approval
    assert "截至2026年11月20日" in body["sections"]["progress"] and "批复初步设计" in body["sections"]["progress"]
    assert "【待填写：" in body["sections"]["tendering"]
    assert "tendering" in body["placeholder_sections"] and "problems" in body["placeholder_sections"]

    mine = {**body["sections"], "tendering": "完成应用开发公开招标。", "problems": ""}
    r = api("leader_a").put(
        draft_url(building, RUNNING), {"sections": mine, "self_assessment": "at_risk"}, format="json"
    )
    assert r.status_code == 200, r.json()
    saved = r.json()
    assert (saved["origin"], saved["saved_by"], saved["self_assessment"]) == ("draft", "leader_a", "at_risk")
    assert saved["sections"]["tendering"] == "完成应用开发公开招标。" and saved["sections"]["problems"] == ""
    assert "tendering" not in saved["placeholder_sections"]
    # read back as saved, by a colleague of the department
    assert api("staff_a").get(draft_url(building, RUNNING)).json()["sections"] == saved["sections"]
    event = AuditEvent.objects.filter(action="report.draft_save").latest("seq")
    assert event.new["period"] == RUNNING and event.new["sections"]["tendering"] == "完成应用开发公开招标。"
    # saving again overwrites the one draft (audited with the old state)
    r = api("staff_a").put(draft_url(building, RUNNING), {"sections": {**mine, "problems": "无"}}, format="json")
    assert r.status_code == 200 and ReportDraft.objects.filter(project=building).count() == 1
    assert AuditEvent.objects.filter(action="report.draft_save").latest("seq").old["sections"]["problems"] == ""
    # submitting still waits for the end of the period
    r = api("staff_a").post(
        f"/api/v1/projects/{building.pk}/reports/{RUNNING}/submit", {"sections": SECTIONS}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "period_not_ended"


def test_who_reads_and_saves_drafts(building: Any, api: Any) -> None:
    for persona, status in (("staff_p", 403), ("ndrc", 403), ("mof", 403), ("staff_b", 404), (None, 401)):
        assert api(persona).get(draft_url(building, RUNNING)).status_code == status, persona
        r = api(persona).put(draft_url(building, RUNNING), {"sections": SECTIONS}, format="json")
        assert r.status_code == status, persona
    assert ReportDraft.objects.count() == 0


def test_bad_drafts_are_refused_with_nothing_saved(building: Any, api: Any) -> None:
    before = _changed()
    for body, field in (
        ({"sections": {**SECTIONS, "extra": "x"}}, "sections.extra"),
        ({"sections": {k: v for k, v in SECTIONS.items() if k != "problems"}}, "sections.problems"),
        ({"sections": SECTIONS, "self_assessment": "great"}, "self_assessment"),
        ({"sections": {**SECTIONS, "progress": "x" * 20_001}}, "sections.progress"),
    ):
        r = api("staff_a").put(draft_url(building, RUNNING), body, format="json")
        assert r.status_code == 400, body
        assert field in r.json()["details"], r.json()
    assert api("staff_a").put(draft_url(building, "2031"), {"sections": SECTIONS}, format="json").status_code == 404
    assert _changed() == before


def test_the_draft_goes_with_the_submission(building: Any, api: Any) -> None:
    api("staff_a").put(draft_url(building, ENDED), {"sections": SECTIONS}, format="json")
    assert api("staff_a").get(draft_url(building, ENDED)).json()["submittable"] is True
    r = api("staff_a").post(
        f"/api/v1/projects/{building.pk}/reports/{ENDED}/submit", {"sections": SECTIONS}, format="json"
    )
    assert r.status_code == 201, r.json()
    assert not ReportDraft.objects.filter(project=building, period=ENDED).exists()
    for r in (
        api("staff_a").get(draft_url(building, ENDED)),
        api("staff_a").put(draft_url(building, ENDED), {"sections": SECTIONS}, format="json"),
    ):
        assert r.status_code == 409 and r.json()["code"] == "already_submitted"
    # returned for revision: the working copy starts from what was sent
    api("ndrc").post(f"/api/v1/projects/{building.pk}/reports/{ENDED}/return", {"comment": "请补充"}, format="json")
    body = api("staff_a").get(draft_url(building, ENDED)).json()
    assert body["origin"] == "returned" and body["sections"] == SECTIONS


# ---------------------------------------------------------------- placeholders


def test_prompts_left_in_block_the_submission(building: Any, api: Any) -> None:
    prefill = api("staff_a").get(draft_url(building, ENDED)).json()["sections"]
    before = _changed()
    r = api("staff_a").post(
        f"/api/v1/projects/{building.pk}/reports/{ENDED}/submit", {"sections": prefill}, format="json"
    )
    assert r.status_code == 400, r.json()
    body = r.json()
    assert body["code"] == "placeholders_left"
    left = [k for k, v in prefill.items() if "【待填写：" in v]
    assert "tendering" in left
    assert body["details"]["placeholder_sections"] == left
    assert {k for k in body["details_codes"]} == {f"sections.{k}" for k in left}
    assert body["details_codes"]["sections.tendering"]["code"] == "placeholder_left"
    assert "招标投标" in body["message"]  # the sections are named in the user's words
    assert _changed() == before
    # an edited prompt is still a prompt; once each is replaced the report goes
    edited = {k: v.replace("【待填写：", "【待填写：（已阅）") for k, v in prefill.items()}
    r = api("staff_a").post(
        f"/api/v1/projects/{building.pk}/reports/{ENDED}/submit", {"sections": edited}, format="json"
    )
    assert r.status_code == 400
    clean = {k: v.split("【待填写：")[0].strip() or "本期无。" for k, v in prefill.items()}
    r = api("staff_a").post(
        f"/api/v1/projects/{building.pk}/reports/{ENDED}/submit", {"sections": clean}, format="json"
    )
    assert r.status_code == 201, r.json()


def test_prompts_in_english(building: Any, api: Any) -> None:
    from django.conf import settings

    prefill = api("staff_a").get(draft_url(building, ENDED)).json()["sections"]
    english = api("staff_a")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the user's choice (never Accept-Language)
    r = english.post(f"/api/v1/projects/{building.pk}/reports/{ENDED}/submit", {"sections": prefill}, format="json")
    assert r.status_code == 400
    assert "Tendering and bidding" in r.json()["message"]


# ---------------------------------------------------------------- UI


def test_the_not_yet_due_page_shows_the_prefilled_draft_and_saves_it(building: Any, browser: Any) -> None:
    c = browser("staff_a")
    tab = c.get(reverse("web:project_reports", kwargs={"pk": building.pk})).content.decode()
    row = tab.split(f'data-period="{RUNNING}"')[1].split("</tr>")[0]
    assert "起草" in row and page(building, RUNNING) in row  # the tab leads to the draft
    html = c.get(page(building, RUNNING)).content.decode()
    assert "次日起可报送" in html and "根据项目记录预填" in html
    assert 'name="progress"' in html and "批复初步设计" in html  # the promised pre-filled draft is there
    assert 'id="save-draft"' in html and 'id="submit-report"' not in html  # no submission before the end
    assert "以下部分仍有待填写的提示" in html
    form = {**SECTIONS, "self_assessment": "on_track"}
    r = c.post(page(building, RUNNING, "draft"), form)
    assert r.status_code == 302
    html = c.get(page(building, RUNNING)).content.decode()
    assert "已保存的草稿" in html and SECTIONS["tendering"] in html
    assert "以下部分仍有待填写的提示" not in html
    assert ReportDraft.objects.get(project=building, period=RUNNING).sections == SECTIONS
    # a POST to submit is still refused, the text kept
    r = c.post(page(building, RUNNING, "submit"), {**form, "confirm": "on"})
    assert r.status_code == 409 and SECTIONS["problems"] in r.content.decode()
    assert not ReportSubmission.objects.filter(project=building, period=RUNNING).exists()
    # others do not see the department's draft nor save one
    ndrc = browser("ndrc")
    assert SECTIONS["tendering"] not in ndrc.get(page(building, RUNNING)).content.decode()
    assert ndrc.post(page(building, RUNNING, "draft"), form).status_code == 403
    assert browser("staff_b").post(page(building, RUNNING, "draft"), form).status_code == 404


def test_the_form_shows_prompts_left_in_on_their_sections(building: Any, browser: Any, api: Any) -> None:
    prefill = api("staff_a").get(draft_url(building, ENDED)).json()["sections"]
    c = browser("staff_a")
    html = c.get(page(building, ENDED)).content.decode()
    assert 'id="save-draft"' in html and 'id="submit-report"' in html
    before = _changed()
    r = c.post(page(building, ENDED, "submit"), {**prefill, "confirm": "on", "self_assessment": "on_track"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "报送前请替换或删除预填的【待填写：…】提示" in html and "招标投标" in html
    assert "仍含有预填的【待填写：…】提示" in html  # under the section itself
    assert "【待填写：本期招标投标情况" in html  # what was there is kept
    assert _changed() == before


def test_the_pdf_link_only_where_pdf_renders(building: Any, browser: Any, api: Any, monkeypatch: Any) -> None:
    c = browser("ndrc")
    pdf = page(building, ENDED, "pdf_document")
    if rendering.pdf_available():  # this server renders PDF (WeasyPrint and pango installed)
        html = c.get(page(building, ENDED)).content.decode()
        assert 'id="download-pdf"' in html and pdf in html
        r = c.get(pdf)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    monkeypatch.setattr(rendering, "pdf_available", lambda: False)
    html = c.get(page(building, ENDED)).content.decode()
    assert 'id="download-pdf"' not in html and pdf not in html
    assert "本服务器暂不能生成 PDF，请下载 DOCX 版本" in html
    # the browser route answers a Chinese page, not JSON
    r = c.get(pdf)
    assert r.status_code == 503 and r["Content-Type"].startswith("text/html")
    body = r.content.decode()
    assert "暂不能生成 PDF" in body and "WeasyPrint" in body and "下载 DOCX" in body and '"code"' not in body
    # the API answers its error code
    r = api("ndrc").get(f"/api/v1/projects/{building.pk}/reports/{ENDED}/document.pdf")
    assert r.status_code == 503 and r.json()["code"] == "pdf_unavailable"
    # outside the scope the route is a 404 as the page is
    assert browser("staff_b").get(pdf).status_code == 404


def test_pdf_detection_without_weasyprint(monkeypatch: Any) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("weasyprint"):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    rendering.pdf_available.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    try:
        assert rendering.pdf_available() is False
    finally:
        rendering.pdf_available.cache_clear()
