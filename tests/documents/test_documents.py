"""Documents (domain.md §7; api.md "Gates' evidence"): digests, content-addressed storage, versions,
scope and retention."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from egovpm.documents import storage
from egovpm.documents.models import Document
from egovpm.rules import engine

PDF = "需求分析报告 — 第一版\n".encode() * 40


def upload_url(project: Any) -> str:
    return f"/api/v1/projects/{project.pk}/documents"


def upload(
    api: Any,
    persona: str,
    project: Any,
    content: bytes = PDF,
    *,
    name: str = "需求分析报告.pdf",
    **fields: str,
) -> Any:
    data: dict[str, Any] = {
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        "stage": "needs_analysis",
        "category": "needs_analysis_report",
        "title": "需求分析报告",
    }
    data.update(fields)
    return api(persona).post(upload_url(project), data, format="multipart")


def blobs(media_root: Path) -> list[Path]:
    root = media_root / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def content_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_upload_returns_digests(project: Any, api: Any) -> None:
    r = upload(api, "staff_a", project)
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["id"]
    assert data["size"] == len(PDF)
    assert data["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert data["sm3"] == hashlib.new("sm3", PDF).hexdigest()
    assert data["stage"] == "needs_analysis"
    assert data["category"] == "needs_analysis_report"
    assert data["version"] == 1
    assert data["uploaded_by"] == "staff_a"
    doc = Document.objects.get(pk=data["id"])
    assert (doc.sha256, doc.sm3, doc.size) == (data["sha256"], data["sm3"], len(PDF))


def test_sm3_of_known_vector() -> None:
    # GB/T 32905-2016 example 1
    sha, sm3, size = storage.digests([b"abc"])
    assert sm3 == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sha == hashlib.sha256(b"abc").hexdigest()
    assert size == 3


def test_download_returns_exact_bytes(project: Any, api: Any) -> None:
    content = bytes(range(256)) * 10 + b"\x00\r\n"
    doc = upload(api, "staff_a", project, content, name="data.bin").json()
    r = api("staff_a").get(f"/api/v1/documents/{doc['id']}/content")
    assert r.status_code == 200
    assert content_of(r) == content
    # the participating department and NDRC read it too
    assert content_of(api("staff_p").get(f"/api/v1/documents/{doc['id']}/content")) == content
    assert content_of(api("ndrc").get(f"/api/v1/documents/{doc['id']}/content")) == content


def test_stored_content_addressed(project: Any, api: Any, media_root: Path) -> None:
    sha = upload(api, "staff_a", project).json()["sha256"]
    path = media_root / "blobs" / sha[:2] / sha
    assert path.is_file()
    assert path.read_bytes() == PDF
    assert blobs(media_root) == [path]


def test_same_bytes_twice_one_blob_two_rows(project: Any, api: Any, media_root: Path) -> None:
    a = upload(api, "staff_a", project, title="第一次").json()
    b = upload(api, "staff_p", project, title="第二次", category="other", stage="draft").json()
    assert a["id"] != b["id"]
    assert a["sha256"] == b["sha256"]
    assert Document.objects.count() == 2
    assert len(blobs(media_root)) == 1


def test_empty_file_is_400(project: Any, api: Any, media_root: Path) -> None:
    r = upload(api, "staff_a", project, b"")
    assert r.status_code == 400
    assert "file" in r.json()["details"]
    assert Document.objects.count() == 0
    assert blobs(media_root) == []


def test_missing_file_is_400(project: Any, api: Any) -> None:
    r = api("staff_a").post(
        upload_url(project), {"stage": "draft", "category": "other", "title": "无文件"}, format="multipart"
    )
    assert r.status_code == 400
    assert "file" in r.json()["details"]
    assert Document.objects.count() == 0


def test_over_size_limit_is_400(project: Any, api: Any, settings: Any, media_root: Path) -> None:
    settings.EGOVPM_MAX_UPLOAD_BYTES = 100
    assert upload(api, "staff_a", project, b"x" * 100, name="a.txt").status_code == 201
    r = upload(api, "staff_a", project, b"y" * 101, name="b.txt")
    assert r.status_code == 400
    assert "file" in r.json()["details"]
    assert Document.objects.count() == 1
    assert len(blobs(media_root)) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"stage": "planning"},
        {"stage": ""},
        {"category": "memo"},
        {"category": ""},
        {"retention": "forever"},
        {"stage": "construction", "category": "bogus"},
    ],
)
def test_bad_fields_are_400_and_nothing_stored(
    fields: dict[str, str], project: Any, api: Any, media_root: Path
) -> None:
    r = upload(api, "staff_a", project, **fields)
    assert r.status_code == 400
    assert set(fields) & set(r.json()["details"])
    assert Document.objects.count() == 0
    assert blobs(media_root) == []


@pytest.mark.parametrize("stage", ["draft", "construction", "acceptance", "in_operation", "cancelled"])
def test_stage_is_any_lifecycle_stage(stage: str, project: Any, api: Any) -> None:
    assert upload(api, "staff_a", project, stage=stage).status_code == 201


def test_new_version_keeps_old(project: Any, api: Any) -> None:
    v1 = upload(api, "staff_a", project).json()
    corrected = PDF + "（修订）".encode()
    r = upload(api, "staff_a", project, corrected, supersedes=v1["id"])
    assert r.status_code == 201, r.json()
    v2 = r.json()
    assert v2["version"] == 2
    assert v2["supersedes"] == v1["id"]
    listed = {d["id"]: d for d in api("staff_a").get(upload_url(project)).json()["results"]}
    assert set(listed) == {v1["id"], v2["id"]}
    assert listed[v1["id"]]["sha256"] == hashlib.sha256(PDF).hexdigest()
    # the old bytes are still there
    assert content_of(api("staff_a").get(f"/api/v1/documents/{v1['id']}/content")) == PDF
    assert content_of(api("staff_a").get(f"/api/v1/documents/{v2['id']}/content")) == corrected


def test_superseding_a_superseded_version_is_409(project: Any, api: Any) -> None:
    v1 = upload(api, "staff_a", project).json()
    v2 = upload(api, "staff_a", project, PDF + b"2", supersedes=v1["id"]).json()
    r = upload(api, "staff_a", project, PDF + b"3", supersedes=v1["id"])
    assert r.status_code == 409
    assert Document.objects.count() == 2
    r = upload(api, "staff_a", project, PDF + b"3", supersedes=v2["id"])
    assert r.status_code == 201
    assert r.json()["version"] == 3


def test_superseding_unknown_or_foreign_document_is_400(
    project: Any, other_project: Any, api: Any, personas: dict[str, Any]
) -> None:
    foreign = upload(api, "staff_b", other_project).json()
    for ref in (foreign["id"], "00000000-0000-0000-0000-000000000000", "nonsense"):
        r = upload(api, "staff_a", project, supersedes=ref)
        assert r.status_code == 400, ref
    assert Document.objects.filter(project=project).count() == 0


def test_other_department_gets_404(project: Any, api: Any) -> None:
    doc = upload(api, "staff_a", project).json()
    for persona in ("staff_b", "leader_b", "expert_other"):
        client = api(persona)
        assert client.get(upload_url(project)).status_code == 404, persona
        assert client.get(f"/api/v1/documents/{doc['id']}").status_code == 404, persona
        assert client.get(f"/api/v1/documents/{doc['id']}/content").status_code == 404, persona
        assert upload(api, persona, project).status_code == 404, persona
    assert Document.objects.count() == 1


def test_readers_may_not_upload(project: Any, api: Any) -> None:
    for persona in ("ndrc", "mof", "expert_assigned", "archivist_assigned"):
        assert upload(api, persona, project).status_code == 403, persona
    assert Document.objects.count() == 0


def test_unknown_document_is_404(api: Any, personas: dict[str, Any]) -> None:
    assert api("ndrc").get("/api/v1/documents/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api("ndrc").get("/api/v1/documents/nonsense/content").status_code == 404


def test_detail(project: Any, api: Any) -> None:
    doc = upload(api, "staff_a", project).json()
    r = api("staff_p").get(f"/api/v1/documents/{doc['id']}")
    assert r.status_code == 200
    assert r.json()["sha256"] == doc["sha256"]
    assert r.json()["title"] == "需求分析报告"


@pytest.mark.parametrize(
    "category",
    ["needs_analysis_report", "project_proposal", "risk_assessment_report", "adjustment_approval", "other"],
)
def test_retention_defaults_from_pack(category: str, project: Any, api: Any) -> None:
    expected = engine.load_pack("r2007").data["retention_defaults"][category]
    r = upload(api, "staff_a", project, category=category)
    assert r.status_code == 201
    assert r.json()["retention"] == expected


def test_retention_defaults_are_what_the_archives_expect() -> None:
    defaults = engine.load_pack("r2007").data["retention_defaults"]
    assert defaults["approval_document"] == "permanent"
    assert set(defaults.values()) <= {"permanent", "30y", "10y"}


def test_explicit_retention_overrides_default(project: Any, api: Any) -> None:
    r = upload(api, "staff_a", project, category="other", retention="permanent")
    assert r.json()["retention"] == "permanent"


def test_upload_is_audited(project: Any, api: Any) -> None:
    from egovpm.audit.models import AuditEvent

    doc = upload(api, "staff_p", project).json()
    event = AuditEvent.objects.filter(action="document.upload").get()
    assert event.object_id == doc["id"]
    assert event.actor_username == "staff_p"
    assert event.new["sha256"] == doc["sha256"]
    assert event.channel == "api"


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunks=st.lists(st.binary(max_size=2048), max_size=8))
def test_digests_of_random_bytes(chunks: list[bytes]) -> None:
    whole = b"".join(chunks)
    with storage.spool(chunks) as spooled:  # streamed to a temporary file while digesting
        assert spooled.sha256 == hashlib.sha256(whole).hexdigest()
        assert spooled.sm3 == hashlib.new("sm3", whole).hexdigest()
        assert spooled.size == len(whole)
        assert spooled.path.read_bytes() == whole
    assert not spooled.path.exists()
    assert storage.digests(chunks) == (spooled.sha256, spooled.sm3, spooled.size)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=4096))
def test_store_and_read_round_trip(content: bytes, media_root: Path) -> None:
    sha = hashlib.sha256(content).hexdigest()
    storage.store(content, sha)
    assert storage.blob_path(sha).read_bytes() == content
    assert storage.read(sha) == content
    storage.store(content, sha)  # idempotent
    assert storage.read(sha) == content
