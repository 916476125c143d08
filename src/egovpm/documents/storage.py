"""Content-addressed blob store for documents and opinion attachments.

A blob's key is its SHA-256: `blobs/ab/abcdef…`. Writing the same bytes twice keeps one blob; a key
once written is never replaced. Two backends, chosen by `EGOVPM_STORAGE` (docs/deployment.md):

- `local` (default): files under MEDIA_ROOT/blobs, read-only (0440), placed by a hard link so that
  a concurrent writer of the same content never sees a half-written file;
- `s3`: any S3-compatible object store through django-storages (STORAGES["documents"]), written
  with a conditional PUT (`If-None-Match: *`) and the SHA-256 checksum, which the store verifies.

Uploads are streamed: `spool()` writes the chunks to a temporary file under MEDIA_ROOT/incoming
while computing SHA-256 and SM3, so a 50 MiB upload never sits in memory. A worker killed at the
wrong moment can leave a temporary file (`.incoming-*`) or a blob that no row points to;
`egovpm storage check` (documents/maintenance.py) reports them and `--repair` removes them.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import errno
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings

CHUNK = 1024 * 1024
INCOMING_PREFIX = ".incoming-"


class BlobMissing(FileNotFoundError):
    """The database names a blob the store does not hold."""


@dataclass(frozen=True)
class Spooled:
    """An upload written to a temporary file, with its digests (see `spool`)."""

    path: Path
    sha256: str
    sm3: str
    size: int


def blob_key(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("a blob key is a lower-case hex SHA-256")
    return f"blobs/{sha256[:2]}/{sha256}"


def blob_path(sha256: str) -> Path:
    """Where the local backend keeps a blob (local backend only; use `open_blob` to read)."""
    return Path(settings.MEDIA_ROOT) / blob_key(sha256)


def incoming_dir() -> Path:
    """Local scratch for uploads being digested (used by both backends)."""
    path = Path(settings.MEDIA_ROOT) / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backend_name() -> str:
    return str(getattr(settings, "EGOVPM_STORAGE", "local"))


# ---------------------------------------------------------------- writing


@contextlib.contextmanager
def spool(chunks: Iterable[bytes]) -> Iterator[Spooled]:
    """Write `chunks` to a temporary file while computing SHA-256, SM3 and the size; the file is
    removed when the block ends (after `store_spooled` has placed it, or on any error)."""
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    fd, name = tempfile.mkstemp(dir=incoming_dir(), prefix=INCOMING_PREFIX)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                sha.update(chunk)
                sm3.update(chunk)
                size += len(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        yield Spooled(path=tmp, sha256=sha.hexdigest(), sm3=sm3.hexdigest(), size=size)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def digests(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """SHA-256, SM3 and size of a stream, without keeping it."""
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    for chunk in chunks:
        sha.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), sm3.hexdigest(), size


def store_spooled(spooled: Spooled) -> None:
    """Place a spooled upload under its key (nothing happens when the key already exists)."""
    if backend_name() == "s3":
        _s3_put(spooled.path, spooled.sha256)
    else:
        _local_place(spooled.path, spooled.sha256)


def store(data: bytes, sha256: str) -> None:
    """Store bytes already in memory (small blobs, restore). Refuses bytes that do not match
    `sha256`: a key always names its content."""
    with spool([data]) as spooled:
        if spooled.sha256 != sha256:
            raise ValueError(f"content does not match its key {sha256}")
        store_spooled(spooled)


def _local_place(tmp: Path, sha256: str) -> None:
    path = blob_path(sha256)
    try:
        # A dedupe hit: the upload re-uses this blob. Refresh its mtime so that `storage check
        # --repair` (which spares blobs younger than its grace period) cannot take it for an old
        # orphan before this upload's row commits (docs/operations.md, "Storage check and uploads").
        os.utime(path)
        return
    except FileNotFoundError:
        pass  # not stored yet (or removed by a repair a moment ago): place it
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, 0o440)
    try:
        with contextlib.suppress(FileExistsError):  # another writer got there first: theirs stays
            os.link(tmp, path)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # MEDIA_ROOT/incoming on another file system: copy beside the target, then link
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=INCOMING_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out, tmp.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(name, 0o440)
            with contextlib.suppress(FileExistsError):
                os.link(name, path)
        finally:
            os.unlink(name)


# ---------------------------------------------------------------- reading


def exists(sha256: str) -> bool:
    if backend_name() == "s3":
        return bool(_s3().exists(blob_key(sha256)))
    return blob_path(sha256).is_file()


def open_blob(sha256: str) -> IO[bytes]:
    """A binary file-like object streaming the blob (close it). Raises BlobMissing."""
    if backend_name() == "s3":
        from botocore.exceptions import ClientError

        s3 = _s3()
        try:
            obj = _s3_client().get_object(Bucket=s3.bucket_name, Key=_s3_name(sha256))
        except ClientError as exc:
            if _s3_status(exc) == 404:
                raise BlobMissing(sha256)
            raise
        return cast(IO[bytes], io.BufferedReader(_StreamingBlob(obj["Body"]), CHUNK))
    try:
        return blob_path(sha256).open("rb")
    except FileNotFoundError:
        raise BlobMissing(sha256)


def read(sha256: str) -> bytes:
    with open_blob(sha256) as fh:
        return fh.read()


def copy_to(sha256: str, target: Path) -> None:
    """Copy a blob to a local file (archive packages, backups)."""
    with open_blob(sha256) as src, target.open("wb") as out:
        shutil.copyfileobj(src, out, CHUNK)


class _StreamingBlob(io.RawIOBase):
    """A binary file over botocore's StreamingBody: read in chunks, never all at once."""

    def __init__(self, body: Any) -> None:
        super().__init__()
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


# ---------------------------------------------------------------- maintenance (storage check)


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    modified: dt.datetime


def iter_blobs() -> Iterator[StoredBlob]:
    """Every blob the store holds (names that are not a SHA-256 are skipped)."""
    if backend_name() == "s3":
        s3 = _s3()
        prefix = _s3_name("0" * 64).rsplit("/", 2)[0] + "/"
        pages = _s3_client().get_paginator("list_objects_v2").paginate(Bucket=s3.bucket_name, Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = str(item["Key"]).rsplit("/", 1)[-1]
                if _is_sha256(name):
                    yield StoredBlob(name, int(item["Size"]), item["LastModified"])
        return
    root = Path(settings.MEDIA_ROOT) / "blobs"
    if not root.is_dir():
        return
    for sub in sorted(root.iterdir()):
        if not sub.is_dir():
            continue
        for path in sorted(sub.iterdir()):
            if _is_sha256(path.name):
                st = path.stat()
                yield StoredBlob(path.name, st.st_size, dt.datetime.fromtimestamp(st.st_mtime, tz=dt.UTC))


def delete_blob(sha256: str) -> None:
    """Remove a blob (only `storage check --repair` does this, for blobs no row points to)."""
    if backend_name() == "s3":
        _s3().delete(blob_key(sha256))
        return
    with contextlib.suppress(FileNotFoundError):
        blob_path(sha256).unlink()


def temporary_files() -> Iterator[tuple[Path, dt.datetime]]:
    """Local temporary files: the spool (MEDIA_ROOT/incoming, also Django's upload spool) and
    `.incoming-*` files an older release left beside the blobs."""
    media = Path(settings.MEDIA_ROOT)
    candidates: list[Path] = []
    spool_dir = media / "incoming"
    if spool_dir.is_dir():
        candidates += [p for p in spool_dir.iterdir() if p.is_file()]
    upload_dir = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if upload_dir and Path(upload_dir).is_dir() and Path(upload_dir).resolve() != spool_dir.resolve():
        candidates += [p for p in Path(upload_dir).iterdir() if p.is_file() and p.name.endswith(".upload")]
    blobs = media / "blobs"
    if blobs.is_dir():
        candidates += sorted(blobs.glob(f"*/{INCOMING_PREFIX}*"))
    for path in candidates:
        with contextlib.suppress(FileNotFoundError):
            yield path, dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def _is_sha256(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


# ---------------------------------------------------------------- S3 (django-storages)


def _s3() -> Any:
    from django.core.files.storage import storages

    return storages["documents"]


def _s3_client() -> Any:
    return _s3().connection.meta.client


def _s3_name(sha256: str) -> str:
    location = str(getattr(_s3(), "location", "") or "").strip("/")
    key = blob_key(sha256)
    return f"{location}/{key}" if location else key


def _s3_status(exc: Any) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _s3_put(tmp: Path, sha256: str) -> None:
    from botocore.exceptions import ClientError

    s3 = _s3()
    if s3.exists(blob_key(sha256)):
        return
    checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
    with tmp.open("rb") as body:
        try:
            _s3_client().put_object(
                Bucket=s3.bucket_name,
                Key=_s3_name(sha256),
                Body=body,
                ContentType="application/octet-stream",
                ChecksumSHA256=checksum,  # the store refuses bytes that do not match the key
                IfNoneMatch="*",  # never overwrite: a concurrent writer of the same bytes wins
            )
        except ClientError as exc:
            if _s3_status(exc) not in (409, 412):  # ConditionalRequestConflict / PreconditionFailed
                raise
