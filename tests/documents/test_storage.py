"""Issue 9 item 8: the blob store streams uploads, leaves nothing behind when an upload fails, and
`egovpm storage check [--repair]` finds (and removes) what a killed worker left: orphan blobs and
stale temporary files; rows whose blob is missing are reported and never deleted."""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import UploadedFile

from egovpm import cli
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import current_channel
from egovpm.documents import services, storage
from egovpm.documents.models import Document

MiB = 1024 * 1024
HOUR = 3600


@pytest.fixture(autouse=True)
def restore_channel() -> Iterator[None]:
    """The CLI marks its whole process as channel "cli"; undo that for the other tests."""
    token = current_channel.set("system")
    yield
    current_channel.reset(token)


class GeneratedUpload(UploadedFile):
    """An upload whose bytes are produced chunk by chunk (like Django's temporary-file uploads):
    it never exists in memory as a whole, so any copy the store makes shows in the peak."""

    def __init__(self, size: int, *, fail_after: int | None = None) -> None:
        super().__init__(file=None, name="大文件.bin", content_type="application/octet-stream", size=size)
        self.fail_after = fail_after

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        block = hashlib.sha256(b"seed").digest() * (MiB // 32)
        for i in range(self.size // MiB):
            if self.fail_after is not None and i >= self.fail_after:
                raise ConnectionResetError("client went away mid-upload")
            yield block[:-8] + i.to_bytes(8, "big")

    def expected_sha256(self) -> str:
        sha = hashlib.sha256()
        for chunk in GeneratedUpload(self.size).chunks():
            sha.update(chunk)
        return sha.hexdigest()


def upload(actor: Any, project: Any, file: UploadedFile) -> Document:
    return services.document_upload(
        actor=actor,
        project_id=project.pk,
        file=file,
        stage="needs_analysis",
        category="needs_analysis_report",
        title="需求分析报告",
        max_bytes=64 * MiB,
    )


def leftovers(media_root: Path) -> list[Path]:
    """Every file under MEDIA_ROOT that is not a placed blob."""
    return sorted(
        p for p in media_root.rglob("*") if p.is_file() and not (p.parent.parent.name == "blobs" and len(p.name) == 64)
    )


def age(path: Path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def run(capsys: Any, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


# ---------------------------------------------------------------- streaming


def test_a_32_mib_upload_is_stored_without_holding_it_in_memory(project: Any, personas: Any, media_root: Path) -> None:
    file = GeneratedUpload(32 * MiB)
    tracemalloc.start()
    try:
        document = upload(personas["staff_a"], project, file)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB while storing a 32 MiB upload"
    assert document.size == 32 * MiB
    assert document.sha256 == file.expected_sha256()
    assert storage.blob_path(document.sha256).stat().st_size == 32 * MiB
    assert leftovers(media_root) == []  # the spooled copy is gone


def test_an_upload_cut_off_midway_leaves_no_file_and_no_row(project: Any, personas: Any, media_root: Path) -> None:
    with pytest.raises(ConnectionResetError):
        upload(personas["staff_a"], project, GeneratedUpload(4 * MiB, fail_after=2))
    assert not Document.objects.exists()
    assert leftovers(media_root) == []
    assert list(storage.iter_blobs()) == []


def test_a_refused_row_stores_no_blob(project: Any, personas: Any, media_root: Path, monkeypatch: Any) -> None:
    """The blob is placed last in the transaction: when the row or its audit event fails, no
    orphan is left behind (before: the blob was stored first and stayed)."""

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        upload(personas["staff_a"], project, GeneratedUpload(2 * MiB))
    assert not Document.objects.exists()
    assert list(storage.iter_blobs()) == []
    assert leftovers(media_root) == []


def test_store_refuses_bytes_that_do_not_match_their_key(media_root: Path) -> None:
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(ValueError, match="does not match"):
        storage.store(b"content", wrong)
    assert list(storage.iter_blobs()) == []
    assert leftovers(media_root) == []


def test_a_blob_is_read_only_and_never_replaced(media_root: Path) -> None:
    content = b"evidence"
    sha = hashlib.sha256(content).hexdigest()
    storage.store(content, sha)
    path = storage.blob_path(sha)
    assert path.stat().st_mode & 0o777 == 0o440
    inode = path.stat().st_ino
    storage.store(content, sha)
    assert path.stat().st_ino == inode
    with storage.open_blob(sha) as fh:
        assert fh.read() == content
    with pytest.raises(storage.BlobMissing):
        storage.open_blob(hashlib.sha256(b"absent").hexdigest())


# ---------------------------------------------------------------- egovpm storage check


@pytest.fixture
def damaged_store(project: Any, personas: Any, media_root: Path) -> dict[str, Any]:
    """What killed workers leave: an old orphan blob, a fresh one (maybe in flight), old and fresh
    temporary files (the spool, Django's upload spool, an older release's `.incoming-*` beside the
    blobs), a referenced blob, and a row whose blob was lost."""
    kept = upload(personas["staff_a"], project, GeneratedUpload(1 * MiB))
    lost = upload(personas["staff_a"], project, GeneratedUpload(2 * MiB))
    age(storage.blob_path(kept.sha256), 3 * HOUR)
    os.chmod(storage.blob_path(lost.sha256), 0o640)
    storage.blob_path(lost.sha256).unlink()

    orphan, young = b"orphan of a killed worker", b"upload still in flight"
    for content in (orphan, young):
        storage.store(content, hashlib.sha256(content).hexdigest())
    age(storage.blob_path(hashlib.sha256(orphan).hexdigest()), 2 * HOUR)

    incoming = storage.incoming_dir()
    stale_spool = incoming / ".incoming-abc123"
    stale_spool.write_bytes(b"x" * 1000)
    age(stale_spool, 2 * HOUR)
    stale_upload = incoming / "tmpq1w2e3.upload.pdf"
    stale_upload.write_bytes(b"y" * 10)
    age(stale_upload, 5 * HOUR)
    fresh_spool = incoming / ".incoming-live"
    fresh_spool.write_bytes(b"z")
    legacy = media_root / "blobs" / "ab" / ".incoming-old"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(b"w")
    age(legacy, 26 * HOUR)
    return {
        "kept": kept,
        "lost": lost,
        "orphan": hashlib.sha256(orphan).hexdigest(),
        "young": hashlib.sha256(young).hexdigest(),
        "stale": [stale_spool, stale_upload, legacy],
        "fresh": fresh_spool,
    }


@pytest.mark.django_db(transaction=True)
def test_check_reports_orphans_stale_files_and_missing_blobs_and_exits_1(
    capsys: Any, damaged_store: dict[str, Any]
) -> None:
    audit_before = AuditEvent.objects.count()
    code, out = run(capsys, "storage", "check")
    assert code == 1
    assert f"orphan blob {damaged_store['orphan']}" in out
    for path in damaged_store["stale"]:
        assert f"stale temporary file {path}" in out
    assert f"MISSING blob {damaged_store['lost'].sha256} of document {damaged_store['lost'].pk}" in out
    assert damaged_store["young"] not in out and str(damaged_store["fresh"]) not in out
    assert damaged_store["kept"].sha256 not in out
    assert "1 unreferenced blob(s) younger than 60 min left alone" in out
    # a check changes nothing
    assert storage.exists(damaged_store["orphan"])
    assert all(p.exists() for p in damaged_store["stale"])
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.django_db(transaction=True)
def test_repair_removes_orphans_and_stale_files_keeps_everything_else_and_audits_once(
    capsys: Any, damaged_store: dict[str, Any]
) -> None:
    audit_before = AuditEvent.objects.count()
    code, out = run(capsys, "storage", "check", "--repair")
    assert code == 1, out  # the missing blob remains a problem: it must come back from a backup
    assert "repaired: 1 orphan blob(s) and 3 temporary file(s) removed" in out
    assert not storage.exists(damaged_store["orphan"])
    assert not any(p.exists() for p in damaged_store["stale"])
    assert storage.exists(damaged_store["young"])  # within the grace period
    assert damaged_store["fresh"].exists()
    assert storage.read(damaged_store["kept"].sha256) == b"".join(GeneratedUpload(1 * MiB).chunks())
    assert Document.objects.filter(pk=damaged_store["lost"].pk).exists()  # never deleted

    events = list(AuditEvent.objects.order_by("seq")[audit_before:])
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.actor_id, event.actor_username, event.channel) == (
        "storage.repair",
        None,
        "system",
        "cli",
    )
    assert event.new["orphan_blobs_removed"] == 1
    assert event.new["temporary_files_removed"] == 3
    assert event.new["missing_blobs_reported"] == 1
    assert event.new["removed"] == [damaged_store["orphan"]]

    code, out = run(capsys, "storage", "check")
    assert code == 1 and "MISSING blob" in out and "orphan blob" not in out


@pytest.mark.django_db(transaction=True)
def test_a_consistent_store_checks_clean(capsys: Any, project: Any, personas: Any) -> None:
    upload(personas["staff_a"], project, GeneratedUpload(1 * MiB))
    code, out = run(capsys, "storage", "check", "--repair")
    assert code == 0, out
    assert "storage: local, 1 blobs" in out and "storage is consistent" in out
    assert not AuditEvent.objects.filter(action="storage.repair").exists()  # nothing to repair, nothing written


@pytest.mark.django_db(transaction=True)
def test_the_grace_period_is_an_option(capsys: Any, damaged_store: dict[str, Any]) -> None:
    code, out = run(capsys, "storage", "check", "--older-than", "600")  # ten hours: only the legacy file
    assert code == 1
    assert "orphan blob" not in out
    assert "stale temporary file" in out and str(damaged_store["stale"][2]) in out
    assert str(damaged_store["stale"][0]) not in out
    code, _ = run(capsys, "storage", "check", "--older-than", "0")
    assert code == 2


def test_an_upload_reusing_an_old_orphan_blob_is_spared_by_repair(media_root: Path, db: Any) -> None:
    """Race between `storage check --repair` and an upload of the same bytes: the upload finds the
    blob already stored (an old orphan) and re-uses it; until its row commits, the blob must look
    young, or the repair deletes it under the new row."""
    from egovpm.documents import maintenance

    content = b"the same bytes again"
    sha = hashlib.sha256(content).hexdigest()
    storage.store(content, sha)
    age(storage.blob_path(sha), 2 * 3600)
    assert [b.sha256 for b in maintenance.check().orphans] == [sha]  # an old orphan

    storage.store(content, sha)  # a new upload of the same bytes; its row is not committed yet
    finding = maintenance.check()
    assert finding.orphans == [] and finding.young_unreferenced == 1
    maintenance.repair(finding)
    assert storage.read(sha) == content
