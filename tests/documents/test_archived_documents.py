"""Archived documents are immutable (clause 7; domain.md §7): no API path changes an archived
document's bytes or metadata; a correction is a new version and both are kept. Before archiving,
the details (and the retention, overriding the pack's default) may be corrected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver

from egovpm.audit.models import AuditEvent
from egovpm.documents import storage
from egovpm.documents.models import Document

CONTENT = "初步设计方案（终稿）\n".encode() * 30
FIELDS = (
    "stage",
    "category",
    "title",
    "filename",
    "content_type",
    "size",
    "sha256",
    "sm3",
    "retention",
    "version",
    "archived",
    "archived_at",
    "archived_by_id",
    "uploaded_at",
    "uploaded_by_id",
    "supersedes_id",
)


def upload(api: Any, project: Any, content: bytes = CONTENT, persona: str = "staff_a", **extra: str) -> dict:
    data = {
        "file": SimpleUploadedFile("设计.pdf", content, content_type="application/pdf"),
        "stage": "preliminary_design",
        "category": "preliminary_design",
        "title": "初步设计方案",
        **extra,
    }
    r = api(persona).post(f"/api/v1/projects/{project.pk}/documents", data, format="multipart")
    assert r.status_code == 201, r.json()
    return r.json()


def archive(api: Any, document_id: str, persona: str = "staff_a") -> Any:
    return api(persona).post(f"/api/v1/documents/{document_id}/archive")


def snapshot(document_id: str) -> tuple:
    d = Document.objects.get(pk=document_id)
    return tuple(getattr(d, f) for f in FIELDS)


def test_details_can_be_corrected_before_archiving(project: Any, api: Any) -> None:
    doc = upload(api, project)
    assert doc["retention"] == "permanent"  # the pack's default for preliminary_design
    r = api("staff_a").patch(
        f"/api/v1/documents/{doc['id']}", {"retention": "30y", "title": "初步设计方案（修订）"}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["retention"], r.json()["title"]) == ("30y", "初步设计方案（修订）")
    assert r.json()["sha256"] == doc["sha256"]
    bad = api("staff_a").patch(
        f"/api/v1/documents/{doc['id']}", {"retention": "forever", "sha256": "0" * 64}, format="json"
    )
    assert bad.status_code == 400 and {"retention", "sha256"} <= set(bad.json()["details"])
    assert AuditEvent.objects.filter(action="document.update", object_id=doc["id"]).count() == 1


def test_archiving_by_the_lead_department_only(project: Any, api: Any) -> None:
    doc = upload(api, project, persona="staff_p")
    assert archive(api, doc["id"], "staff_p").status_code == 403
    assert archive(api, doc["id"], "ndrc").status_code == 403
    assert archive(api, doc["id"], "staff_b").status_code == 404
    r = archive(api, doc["id"], "leader_a")
    assert r.status_code == 200, r.json()
    assert r.json()["archived"] is True and r.json()["archived_by"] == "leader_a" and r.json()["archived_at"]
    assert AuditEvent.objects.filter(action="document.archive", object_id=doc["id"]).exists()
    again = archive(api, doc["id"])
    assert again.status_code == 409 and again.json()["code"] == "already_archived"


def _document_write_routes() -> list[tuple[str, str]]:
    """Every (path template, method) of the API that addresses a document and may write."""
    from egovpm.config.api_urls import urlpatterns

    found, pending = [], list(urlpatterns)
    while pending:
        p = pending.pop()
        if isinstance(p, URLResolver):
            pending.extend(p.url_patterns)
            continue
        assert isinstance(p, URLPattern)
        if "document_id" not in str(p.pattern):
            continue
        view = p.callback.view_class  # type: ignore[attr-defined]
        for method in ("post", "put", "patch", "delete"):
            if hasattr(view, method):
                found.append((p.name, method))
    return found


def test_no_api_path_changes_an_archived_document(project: Any, api: Any, media_root: Any) -> None:
    from django.urls import reverse

    doc = upload(api, project)
    archive(api, doc["id"])
    before, blob = snapshot(doc["id"]), storage.read(doc["sha256"])
    routes = _document_write_routes()
    assert ("document", "patch") in routes and ("document-archive", "post") in routes
    change = {
        "title": "篡改",
        "stage": "draft",
        "category": "other",
        "retention": "10y",
        "archived": False,
        "sha256": "0" * 64,
    }
    for name, method in routes:
        for persona in ("staff_a", "leader_a", "ndrc", "archivist_assigned"):
            url = reverse(f"api:{name}", kwargs={"document_id": doc["id"]})
            r = getattr(api(persona), method)(url, change, format="json")
            assert r.status_code in (403, 405, 409), (name, method, persona, r.status_code)
    r = api("staff_a").patch(f"/api/v1/documents/{doc['id']}", {"retention": "10y"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "archived"
    assert snapshot(doc["id"]) == before
    assert storage.read(doc["sha256"]) == blob == CONTENT
    content = api("staff_a").get(f"/api/v1/documents/{doc['id']}/content")
    assert b"".join(content.streaming_content) == CONTENT


def test_a_correction_is_a_new_version_and_both_are_kept(project: Any, api: Any) -> None:
    v1 = upload(api, project)
    archive(api, v1["id"])
    corrected = CONTENT + "附：勘误\n".encode()
    v2 = upload(api, project, corrected, supersedes=v1["id"], title="初步设计方案（勘误）")
    assert (v2["version"], v2["supersedes"], v2["archived"]) == (2, v1["id"], False)
    old = api("staff_a").get(f"/api/v1/documents/{v1['id']}").json()
    assert old["archived"] is True and old["sha256"] == v1["sha256"]
    assert archive(api, v2["id"]).status_code == 200
    listed = {d["id"]: d for d in api("staff_p").get(f"/api/v1/projects/{project.pk}/documents").json()["results"]}
    assert listed[v1["id"]]["archived"] and listed[v2["id"]]["archived"]
    assert storage.read(v1["sha256"]) == CONTENT and storage.read(v2["sha256"]) == corrected


def test_a_superseded_version_is_not_archived(project: Any, api: Any) -> None:
    v1 = upload(api, project)
    upload(api, project, CONTENT + b"v2", supersedes=v1["id"])
    r = archive(api, v1["id"])
    assert r.status_code == 409 and r.json()["code"] == "not_latest"


def test_the_model_refuses_to_write_an_archived_row(project: Any, api: Any) -> None:
    doc = upload(api, project)
    archive(api, doc["id"])
    row = Document.objects.get(pk=doc["id"])
    row.title = "直接改库"
    with pytest.raises(RuntimeError):
        row.save()
    with pytest.raises(RuntimeError):
        row.delete()
    assert Document.objects.get(pk=doc["id"]).title == "初步设计方案"


def test_archived_flag_as_of(project: Any, api: Any, clock: Any) -> None:
    import datetime as dt

    from egovpm.documents.facts import document_facts

    doc = upload(api, project)
    archive(api, doc["id"])
    project.refresh_from_db()
    today = dt.date(2026, 11, 20)
    assert document_facts(project, today)["documents"][0].archived is True
    clock.set_now(dt.datetime(2026, 11, 21, 2, tzinfo=dt.UTC))
    assert document_facts(project, today)["documents"][0].archived is True
    assert Document.objects.get(pk=doc["id"]).archived_at.date() == today
