"""Content-addressed storage: a blob's path is its SHA-256. Writing the same bytes twice keeps
one file; a file once written is never replaced (write to a temp name, then link)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings


def blob_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "blobs" / sha256[:2] / sha256


def digests(chunks: Iterable[bytes]) -> tuple[str, str, int, bytes]:
    sha, sm3, size, data = hashlib.sha256(), hashlib.new("sm3"), 0, bytearray()
    for chunk in chunks:
        sha.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
        data.extend(chunk)
    return sha.hexdigest(), sm3.hexdigest(), size, bytes(data)


def store(data: bytes, sha256: str) -> Path:
    path = blob_path(sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o440)
        with contextlib.suppress(FileExistsError):  # another writer got there first: theirs stays
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path


def read(sha256: str) -> bytes:
    return blob_path(sha256).read_bytes()
