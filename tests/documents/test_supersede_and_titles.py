"""Issue 9 item 3 (evidence takeover) and the document part of item 6: only the department that
filed a document may file a new version of it (`supersedes`), in the same category; a title the
column cannot hold, or with invisible characters, is refused before any byte is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egovpm.audit.models import AuditEvent
from egovpm.documents.models import Document

pytestmark = pytest.mark.django_db

APPROVAL = "初步设计批复".encode() * 30


def upload(api: Any, persona: str, project: Any, content: bytes, **fields: str) -> Any:
    data: dict[str, Any] = {
        "file": SimpleUploadedFile("批复.pdf", content, content_type="application/pdf"),
        "stage": "preliminary_design",
        "category": "approval_document",
        "title": "初步设计批复",
    }
    data.update(fields)
    return api(persona).post(f"/api/v1/projects/{project.pk}/documents", data, format="multipart")


def blobs(media_root: Path) -> list[Path]:
    root = media_root / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def archived_approval(project: Any, api: Any) -> dict[str, Any]:
    """The lead department's archived approval document."""
    doc = upload(api, "staff_a", project, APPROVAL).json()
    assert api("staff_a").post(f"/api/v1/documents/{doc['id']}/archive").status_code == 200
    return doc


def _state(media_root: Path) -> tuple[int, list[Path], int]:
    return Document.objects.count(), blobs(media_root), AuditEvent.objects.filter(action="document.upload").count()


@pytest.mark.parametrize("category", ["approval_document", "other"])
def test_a_participating_department_cannot_supersede_the_leads_document(
    category: str, archived_approval: dict[str, Any], project: Any, api: Any, media_root: Path
) -> None:
    before = _state(media_root)
    r = upload(api, "staff_p", project, b"forged approval", supersedes=archived_approval["id"], category=category)
    assert r.status_code == 403, r.json()
    assert r.json()["code"] == "not_document_owner"
    assert r.json()["details_codes"] == {"supersedes": {"code": "filed_by_another_department", "params": {}}}
    assert set(r.json()["details"]) == {"supersedes"}
    assert _state(media_root) == before  # no row, no blob, no audit event
    # the lead still corrects its own document
    r = upload(api, "staff_a", project, APPROVAL + "（更正）".encode(), supersedes=archived_approval["id"])
    assert r.status_code == 201, r.json()
    assert (r.json()["version"], r.json()["supersedes"]) == (2, archived_approval["id"])


def test_a_new_version_keeps_the_category(
    archived_approval: dict[str, Any], project: Any, api: Any, media_root: Path
) -> None:
    before = _state(media_root)
    r = upload(api, "leader_a", project, b"v2", supersedes=archived_approval["id"], category="contract")
    assert r.status_code == 400
    assert r.json()["code"] == "category_mismatch"
    assert "category" in r.json()["details"]
    assert _state(media_root) == before
    # any member of the owning department may file the new version (not only the uploader)
    r = upload(api, "leader_a", project, b"v2", supersedes=archived_approval["id"])
    assert r.status_code == 201, r.json()


def test_a_participants_own_document_is_superseded_by_the_participant_only(project: Any, api: Any) -> None:
    own = upload(api, "staff_p", project, b"prov plan", category="other", title="省级配套方案").json()
    assert upload(api, "staff_a", project, b"lead v2", category="other", supersedes=own["id"]).status_code == 403
    r = upload(api, "staff_p", project, b"prov v2", category="other", supersedes=own["id"])
    assert r.status_code == 201, r.json()


def test_a_title_over_300_characters_is_refused_before_storing(project: Any, api: Any, media_root: Path) -> None:
    before = _state(media_root)
    r = upload(api, "staff_a", project, b"long title", title="长" * 301)
    assert r.status_code == 400
    assert set(r.json()["details"]) == {"title"}
    assert _state(media_root) == before
    assert upload(api, "staff_a", project, b"long title", title="长" * 300).status_code == 201


@pytest.mark.parametrize("title", ["批复\u202egpj.exe", "批\u200b复", "批复\n第二行", "批复\x07"])
def test_titles_with_invisible_characters_are_refused(title: str, project: Any, api: Any, media_root: Path) -> None:
    before = _state(media_root)
    r = upload(api, "staff_a", project, b"x", title=title)
    assert r.status_code == 400 and set(r.json()["details"]) == {"title"}, r.json()
    assert _state(media_root) == before


def test_patching_a_title_is_held_to_the_same_rules(project: Any, api: Any) -> None:
    doc = upload(api, "staff_a", project, b"x").json()
    for title in ("长" * 301, "批\u202e复"):
        r = api("staff_a").patch(f"/api/v1/documents/{doc['id']}", {"title": title}, format="json")
        assert r.status_code == 400 and "title" in r.json()["details"], r.json()
    assert Document.objects.get(pk=doc["id"]).title == "初步设计批复"
