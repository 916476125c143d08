"""`egovpm storage check [--repair]`: the blob store against the rows that point into it.

Finds, for the configured backend (documents/storage.py):
- orphan blobs: stored, older than the grace period, and named by no Document and no Opinion
  attachment (a worker killed between storing and committing leaves one);
- stale temporary files: the upload spool (MEDIA_ROOT/incoming) older than the grace period;
- missing blobs: rows whose content the store does not hold. These are never repaired
  automatically: the row is evidence, the bytes must come back from a backup.

`--repair` deletes the first two kinds and writes one audit event summarising what it removed.
The grace period (default one hour) keeps an upload in flight from being taken for an orphan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.documents import storage

DEFAULT_GRACE = dt.timedelta(hours=1)


@dataclass
class Finding:
    orphans: list[storage.StoredBlob] = field(default_factory=list)
    young_unreferenced: int = 0  # unreferenced but within the grace period: possibly in flight
    stale_temporary: list[Path] = field(default_factory=list)
    missing: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, row id, sha256)
    blobs: int = 0

    @property
    def problems(self) -> int:
        return len(self.orphans) + len(self.stale_temporary) + len(self.missing)


# Other apps that keep blobs in the document store register where their rows name them (e.g. the
# reviews app: opinion attachments), so that this module does not import them (dependencies point
# one way, docs/adr/0001). Each source yields (row id, sha256) pairs.
BlobReferences = Callable[[], Iterable[tuple[Any, str]]]
_reference_sources: dict[str, BlobReferences] = {}


def register_blob_references(kind: str, source: BlobReferences) -> None:
    """Called from an app's ready(): `kind` names the rows in the report ("opinion attachment")."""
    _reference_sources[kind] = source


def referenced() -> dict[str, list[tuple[str, str]]]:
    """sha256 -> the rows naming it, as (kind, id)."""
    from egovpm.documents.models import Document

    refs: dict[str, list[tuple[str, str]]] = {}
    for pk, sha in Document.all_objects.values_list("pk", "sha256").iterator():
        refs.setdefault(sha, []).append(("document", str(pk)))
    for kind, source in _reference_sources.items():
        for pk, sha in source():
            refs.setdefault(sha, []).append((kind, str(pk)))
    return refs


def check(*, grace: dt.timedelta = DEFAULT_GRACE) -> Finding:
    # file ages are real time (file systems and object stores stamp real time), not the business
    # clock that EGOVPM_NOW may pin
    cutoff = dt.datetime.now(tz=dt.UTC) - grace
    finding = Finding()
    stored: dict[str, storage.StoredBlob] = {}
    # list the store before reading the rows: a blob stored after the listing is not judged, and a
    # row committed after the listing names a blob we already saw (so it is not taken for an orphan)
    for blob in storage.iter_blobs():
        stored[blob.sha256] = blob
    finding.blobs = len(stored)
    refs = referenced()
    for sha, blob in sorted(stored.items()):
        if sha in refs:
            continue
        if blob.modified <= cutoff:
            finding.orphans.append(blob)
        else:
            finding.young_unreferenced += 1
    for sha, rows in sorted(refs.items()):
        if sha not in stored:
            finding.missing += [(kind, pk, sha) for kind, pk in rows]
    finding.stale_temporary = sorted(path for path, modified in storage.temporary_files() if modified <= cutoff)
    return finding


def repair(finding: Finding) -> dict[str, Any]:
    """Remove the orphans and stale temporary files of `finding` (re-checking each orphan against
    the rows first) and audit one summary event. Missing blobs are left alone."""
    refs = referenced()
    removed_blobs: list[str] = []
    freed = 0
    for blob in finding.orphans:
        if blob.sha256 in refs:  # a row appeared since the check: not an orphan after all
            continue
        storage.delete_blob(blob.sha256)
        removed_blobs.append(blob.sha256)
        freed += blob.size
    removed_temporary = 0
    for path in finding.stale_temporary:
        try:
            freed += path.stat().st_size
            path.unlink()
            removed_temporary += 1
        except FileNotFoundError:
            continue
    summary = {
        "backend": storage.backend_name(),
        "orphan_blobs_removed": len(removed_blobs),
        "temporary_files_removed": removed_temporary,
        "bytes_freed": freed,
        "missing_blobs_reported": len(finding.missing),
        "removed": removed_blobs[:200],
    }
    with transaction.atomic():
        audit_record(
            actor=None, action=AuditAction.STORAGE_REPAIR, object_type="storage", object_id="blobs", new=summary
        )
    return summary
