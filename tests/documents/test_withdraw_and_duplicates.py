"""Issue 15 item 7: a document not archived yet can be withdrawn (撤回) by its uploader's department —
audited, the row and its bytes kept for the audit trail, gone from the lists, the archive
completeness and the gates; the same file uploaded again for the same stage and category is refused,
naming the document already there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from egovpm.audit.models import AuditEvent
from egovpm.documents.models import Document

pytestmark = pytest.mark.django_db

NEEDS = "需求分析报告正文".encode() * 40


def upload(api: Any, persona: str, project: Any, content: bytes = NEEDS, **fields: str) -> Any:
    data: dict[str, Any] = {
        "file": SimpleUploadedFile("需求分析报告.pdf", content, content_type="application/pdf"),
        "stage": "draft",
        "category": "needs_analysis_report",
        "title": "需求分析报告",
    }
    data.update(fields)
    return api(persona).post(f"/api/v1/projects/{project.pk}/documents", data, format="multipart")


def withdraw(api: Any, persona: str, document_id: str, reason: Any = "上传错了文件") -> Any:
    body = {} if reason is None else {"reason": reason}
    return api(persona).post(f"/api/v1/documents/{document_id}/withdraw", body, format="json")


def listed(api: Any, persona: str, project: Any) -> list[str]:
    return [d["id"] for d in api(persona).get(f"/api/v1/projects/{project.pk}/documents").json()["results"]]


def blobs(media_root: Path) -> list[Path]:
    root = media_root / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _state() -> tuple[list[tuple[Any, ...]], int]:
    rows = list(Document.all_objects.order_by("pk").values_list("pk", "withdrawn", "supersedes_id"))
    return rows, AuditEvent.objects.filter(action__startswith="document.").count()


# ---------------------------------------------------------------- duplicates


def test_the_same_file_twice_is_refused_naming_the_existing_document(project: Any, api: Any, media_root: Path) -> None:
    first = upload(api, "staff_a", project)
    assert first.status_code == 201, first.json()
    before = (_state(), blobs(media_root))
    again = upload(api, "leader_a", project, title="需求分析报告（重传）")
    assert again.status_code == 409, again.json()
    body = again.json()
    assert body["code"] == "duplicate_document"
    assert "需求分析报告" in body["message"] and "1" in body["message"]
    assert body["details"]["document"] == first.json()["id"]
    assert body["details_codes"]["file"] == {
        "code": "same_content",
        "params": {"title": "需求分析报告", "version": 1},
    }
    assert (_state(), blobs(media_root)) == before  # no second "v1", no audit event
    assert listed(api, "staff_a", project) == [first.json()["id"]]


def test_the_same_file_in_another_category_or_stage_is_a_different_document(project: Any, api: Any) -> None:
    assert upload(api, "staff_a", project).status_code == 201
    assert upload(api, "staff_a", project, category="other").status_code == 201
    assert upload(api, "staff_a", project, stage="needs_analysis").status_code == 201
    # another project may hold the same bytes too
    assert len(listed(api, "staff_a", project)) == 3


def test_identical_bytes_as_a_new_version_are_refused(project: Any, api: Any) -> None:
    first = upload(api, "staff_a", project).json()
    r = upload(api, "staff_a", project, supersedes=first["id"])
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_document"


def test_a_withdrawn_document_no_longer_blocks_the_same_file(project: Any, api: Any) -> None:
    first = upload(api, "staff_a", project).json()
    assert withdraw(api, "staff_a", first["id"]).status_code == 200
    again = upload(api, "staff_a", project)
    assert again.status_code == 201, again.json()
    assert again.json()["version"] == 1


# ---------------------------------------------------------------- withdraw


def test_the_uploaders_department_withdraws_a_document(project: Any, api: Any, media_root: Path) -> None:
    doc = upload(api, "staff_a", project).json()
    stored = blobs(media_root)
    r = withdraw(api, "leader_a", doc["id"], "误传了旧版本")  # a colleague of the uploader's department
    assert r.status_code == 200, r.json()
    assert (r.json()["withdrawn"], r.json()["withdrawn_by"], r.json()["withdrawal_reason"]) == (
        True,
        "leader_a",
        "误传了旧版本",
    )
    # gone from the list, the row and the bytes kept
    assert doc["id"] not in listed(api, "staff_a", project)
    assert Document.all_objects.filter(pk=doc["id"], withdrawn=True).exists()
    assert blobs(media_root) == stored
    # reachable by its id (the audit trail names it), its content too
    assert api("ndrc").get(f"/api/v1/documents/{doc['id']}").json()["withdrawn"] is True
    content = api("staff_a").get(f"/api/v1/documents/{doc['id']}/content")
    assert content.status_code == 200 and b"".join(content.streaming_content) == NEEDS
    # audited with the reason
    event = AuditEvent.objects.get(action="document.withdraw")
    assert event.object_id == doc["id"]
    assert event.new["withdrawn"] is True and event.new["reason"] == "误传了旧版本"
    assert event.old["withdrawn"] is False
    # and only once
    again = withdraw(api, "staff_a", doc["id"])
    assert again.status_code == 409 and again.json()["code"] == "already_withdrawn"


def test_withdrawn_documents_leave_completeness_and_gates(project: Any, api: Any) -> None:
    from egovpm.core import clock
    from egovpm.documents.facts import document_facts

    def on_file() -> list[str]:
        body = api("staff_a").get(f"/api/v1/projects/{project.pk}/archive-completeness").json()
        items = [i for s in body["stages"] for i in s["items"] if i["category"] == "needs_analysis_report"]
        return [d for i in items for d in i["documents"]]

    doc = upload(api, "staff_a", project).json()
    assert [f.category for f in document_facts(project, clock.today())["documents"]] == ["needs_analysis_report"]
    assert on_file() == [doc["id"]]
    assert withdraw(api, "staff_a", doc["id"]).status_code == 200
    assert document_facts(project, clock.today())["documents"] == ()  # the gates no longer count it
    assert on_file() == []


def test_who_may_withdraw(project: Any, api: Any) -> None:
    doc = upload(api, "staff_a", project).json()
    before = _state()
    for persona, status in (
        ("staff_p", 403),  # a participating department reads it but did not upload it
        ("ndrc", 403),
        ("mof", 403),
        ("staff_b", 404),  # another department outside the project
        ("expert_assigned", 404),
        (None, 401),
    ):
        r = api(persona).post(f"/api/v1/documents/{doc['id']}/withdraw", {"reason": "x"}, format="json")
        assert r.status_code == status, (persona, r.status_code)
    assert _state() == before
    # a participant's own document is the participant's to withdraw, not the lead's
    mine = upload(api, "staff_p", project, b"participant's annex", category="other", title="参建部门材料").json()
    assert withdraw(api, "staff_a", mine["id"]).status_code == 403
    assert withdraw(api, "staff_p", mine["id"]).status_code == 200


def test_archived_superseded_and_bad_reason_are_refused_with_nothing_changed(project: Any, api: Any) -> None:
    doc = upload(api, "staff_a", project).json()
    newer = upload(api, "staff_a", project, b"second version", supersedes=doc["id"]).json()
    before = _state()
    r = withdraw(api, "staff_a", doc["id"])
    assert r.status_code == 409 and r.json()["code"] == "not_latest"
    for reason in (None, "", "   ", "原因\u202e"):
        r = withdraw(api, "staff_a", newer["id"], reason)
        assert r.status_code == 400, reason
        assert "reason" in r.json()["details"]
    assert withdraw(api, "staff_a", "not-a-uuid").status_code == 404
    assert _state() == before
    # withdrawing the newer version makes the first the latest again: it can be superseded anew
    assert withdraw(api, "staff_a", newer["id"]).status_code == 200
    assert listed(api, "staff_a", project) == [doc["id"]]
    again = upload(api, "staff_a", project, b"corrected second version", supersedes=doc["id"])
    assert again.status_code == 201, again.json()
    # once archived it stays
    assert api("staff_a").post(f"/api/v1/documents/{again.json()['id']}/archive").status_code == 200
    r = withdraw(api, "staff_a", again.json()["id"])
    assert r.status_code == 409 and r.json()["code"] == "archived"


def test_a_document_cited_by_a_record_is_not_withdrawn(project: Any, api: Any) -> None:
    doc = upload(api, "staff_a", project, b"risk report", category="risk_assessment_report", title="风险评估报告")
    assert doc.status_code == 201, doc.json()
    body = {"assessed_on": "2026-11-02", "assessor": "测评中心", "summary": "无高风险", "document": doc.json()["id"]}
    r = api("staff_a").post(f"/api/v1/projects/{project.pk}/risk-assessments", body, format="json")
    assert r.status_code == 201, r.json()
    before = _state()
    r = withdraw(api, "staff_a", doc.json()["id"])
    assert r.status_code == 409, r.json()
    assert r.json()["code"] == "document_in_use"
    assert "风险评估" in r.json()["message"]  # the citing record in the user's words
    assert _state() == before


# ---------------------------------------------------------------- UI


@pytest.fixture
def browser(personas: dict[str, Any]) -> Any:
    def client(persona: str) -> Client:
        c = Client()
        c.force_login(personas[persona])
        return c

    return client


def test_withdraw_in_the_documents_tab(project: Any, api: Any, browser: Any) -> None:
    doc = upload(api, "staff_a", project).json()
    tab = reverse("web:project_documents", kwargs={"pk": project.pk})
    url = reverse("web:project_document_withdraw", kwargs={"pk": project.pk, "document_id": doc["id"]})
    c = browser("staff_a")
    html = c.get(tab).content.decode()
    assert "撤回" in html and url in html
    # a participating department sees the document without the button
    assert url not in browser("staff_p").get(tab).content.decode()
    # no reason: 400, the form open again with the error, nothing changed
    r = c.post(url, {"reason": ""})
    assert r.status_code == 400
    assert "撤回原因" in r.content.decode() and "open" in r.content.decode()
    assert not Document.all_objects.get(pk=doc["id"]).withdrawn
    r = c.post(url, {"reason": "上传错了文件"}, follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert "已撤回" in html and f"/api/v1/documents/{doc['id']}/content" not in html
    # another department's member: the 403 page; outside the project: 404
    other = upload(api, "staff_p", project, b"annex", category="other", title="参建材料").json()
    other_url = reverse("web:project_document_withdraw", kwargs={"pk": project.pk, "document_id": other["id"]})
    assert c.post(other_url, {"reason": "x"}).status_code == 403
    assert browser("staff_b").post(other_url, {"reason": "x"}).status_code == 404


def test_a_duplicate_upload_in_the_tab_names_the_existing_document(project: Any, api: Any, browser: Any) -> None:
    upload(api, "staff_a", project)
    c = browser("staff_a")
    r = c.post(
        reverse("web:project_documents", kwargs={"pk": project.pk}),
        {
            "file": SimpleUploadedFile("again.pdf", NEEDS, content_type="application/pdf"),
            "stage": "draft",
            "category": "needs_analysis_report",
            "title": "再传一次",
        },
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "《需求分析报告》（第1版）" in html
    assert Document.objects.filter(project=project).count() == 1
