"""Helpers for the backup tests: run `egovpm` against another database in a subprocess, read a
database back with the probe, rewrite an archive."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent.parent
EGOVPM = [sys.executable, "-m", "egovpm"]
TIMEOUT = 600


def audit_key() -> str | None:
    from django.conf import settings

    return getattr(settings, "EGOVPM_AUDIT_KEY", None)


def target_env(var_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of an egovpm process using its own database: a SQLite file under var_dir
    (or database_url) and its own media directory, with this test process's audit key."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EGOVPM_MEDIA_ROOT", "EGOVPM_NOW"}}
    env.update(EGOVPM_DEBUG="1", EGOVPM_VAR_DIR=str(var_dir), PYTHONPATH=str(TESTS_DIR))
    if database_url:
        env["DATABASE_URL"] = database_url
    key = audit_key()
    if key:
        env["EGOVPM_AUDIT_KEY"] = key
    env.update(extra)
    return env


def egovpm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [*EGOVPM, *args], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def probe_of(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "backup.probe"], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def rewrite(
    archive: Path, out: Path, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes] | None = None
) -> None:
    """Copy an archive member by member; `change` returns new bytes, or None to leave a member out."""
    with tarfile.open(archive) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for member in src.getmembers():
            fh = src.extractfile(member)
            assert fh is not None
            data = change(member.name, fh.read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def archive_rows(archive: Path) -> dict[str, dict[str, Any]]:
    """Every table's rows in an archive, keyed by primary key (order and JSON key order aside)."""
    rows: dict[str, dict[str, Any]] = {}
    with tarfile.open(archive) as tar:
        fh = tar.extractfile("manifest.json")
        assert fh is not None
        manifest = json.loads(fh.read())
        for entry in manifest["models"]:
            data = tar.extractfile(entry["file"])
            assert data is not None
            pk = entry["columns"][0] if "id" not in entry["columns"] else "id"
            table = {}
            for line in data.read().decode().splitlines():
                record = json.loads(line)
                table[str(record[pk])] = record
            rows[entry["label"]] = table
    return rows


@pytest.fixture
def one_line() -> Callable[[str], None]:
    def check(err: str) -> None:
        assert err.startswith("egovpm: ") and err.endswith("\n") and err.count("\n") == 1, err

    return check
