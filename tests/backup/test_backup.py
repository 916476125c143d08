"""`egovpm backup PATH` / `egovpm restore PATH` (api.md, Operations; docs/operations.md).

The source is this test database with the demo data (every app has rows); targets are other
databases, restored by `egovpm` in a subprocess, and read back with the probe (tests/backup/probe.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backup.conftest import egovpm, probe_of, rewrite, target_env
from backup.probe import probe
from conftest import NOW
from egovpm import cli
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import current_channel

pytestmark = pytest.mark.django_db

MICRO = NOW + dt.timedelta(microseconds=123457)


@pytest.fixture(autouse=True)
def restore_channel() -> Iterator[None]:
    """The CLI marks its process as channel "cli"; undo that for the other tests."""
    token = current_channel.set("system")
    yield
    current_channel.reset(token)


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def source(clock: Any, capsys: Any, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The demo data in this database (events stamped with microseconds), its probe, its backup."""
    from egovpm import demo
    from egovpm.accounts.models import ApiToken, User

    clock.set_now(MICRO)
    demo.load()
    clock.set_now(NOW)
    # a client's API token: it must not travel (a token revoked after the backup would come back)
    ApiToken.objects.create(
        user=User.objects.order_by("pk").first(),
        key_hash=ApiToken.hash("token-of-a-client"),
        created_at=NOW,
        expires_at=NOW + dt.timedelta(days=30),
    )
    before = probe()
    archive = tmp_path / "egovpm.backup.tar"
    code, out, err = run(capsys, "backup", str(archive))
    assert code == 0, err
    assert out.startswith(f"backup written: {archive}")
    return archive, before


def test_backup_archive_holds_every_table_and_file_with_both_digests(source: Any, capsys: Any) -> None:
    from django.db import connection

    archive, before = source
    with tarfile.open(archive) as tar:
        fh = tar.extractfile("manifest.json")
        assert fh is not None
        manifest = json.loads(fh.read())
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.name != "manifest.json"}  # type: ignore[union-attr]
    assert manifest["format"] == "egovpm-backup" and manifest["format_version"] == 2
    assert manifest["source_engine"] == connection.vendor
    counts = {e["label"]: e["rows"] for e in manifest["models"]}
    assert counts == before["counts"]  # every table, every row (sessions left out on purpose)
    # sessions and API tokens left out on purpose: clients log in again after a restore
    assert manifest["excluded"] == ["accounts.apitoken", "sessions.session"]
    assert "sessions.session" not in counts and "accounts.apitoken" not in counts
    assert not any("apitoken" in name for name in members) and before["api_tokens"] == 1
    for app in ("accounts", "audit", "projects", "documents", "budgets", "reports", "reviews", "security", "archives"):
        assert any(label.startswith(f"{app}.") and n for label, n in counts.items()), app
    assert set(members) == set(manifest["files"])
    for name, data in members.items():
        assert manifest["files"][name] == {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "sm3": hashlib.new("sm3", data).hexdigest(),
        }
    blobs = [n for n in members if n.startswith("blobs/")]
    assert len(blobs) >= 1 and len(blobs) == len({*before_blob_names(before)})
    # the archive's own digests are printed for off-site keeping, and the backup is audited
    out_event = AuditEvent.objects.filter(action="system.backup").latest("seq")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert out_event.object_id == digest
    assert out_event.new["rows"] == sum(counts.values())


def before_blob_names(before: dict[str, Any]) -> list[str]:
    from egovpm.documents.models import Document
    from egovpm.reviews.models import Opinion

    shas = set(Document.objects.values_list("sha256", flat=True))
    shas |= set(Opinion.objects.exclude(attachment_sha256="").values_list("attachment_sha256", flat=True))
    return sorted(shas)


def test_backup_refuses_an_existing_file(db: Any, capsys: Any, tmp_path: Path, one_line: Callable[[str], None]) -> None:
    existing = tmp_path / "x.tar"
    existing.write_bytes(b"keep me")
    code, _out, err = run(capsys, "backup", str(existing))
    assert code == 1
    one_line(err)
    assert existing.read_bytes() == b"keep me"
    assert not list(tmp_path.glob(".x.tar*"))  # no partial file left behind


def test_restore_into_an_empty_database_loses_nothing(source: Any, tmp_path: Path) -> None:
    """Restored by another process into a fresh SQLite database: the audit chain verifies, every
    stored file matches its row's SHA-256 and SM3, counts and sample values are identical."""
    archive, before = source
    env = target_env(tmp_path / "target")
    done = egovpm(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("restored ")
    verified = egovpm(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    after = probe_of(env)

    audit = {"audit.auditevent", "audit.audithead"}
    assert {k: v for k, v in after["counts"].items() if k not in audit} == {
        k: v for k, v in before["counts"].items() if k not in audit
    }
    assert after["digest_mismatches"] == [] and after["documents"] == before["documents"] > 0
    assert before["api_tokens"] == 1 and after["api_tokens"] == 0  # clients log in again
    # every event as it was — microseconds, JSON and Chinese text included — then the restore's own
    assert any(at.endswith(".123457+00:00") for _s, at, _r, _n in before["events"])
    assert after["events"][: len(before["events"])] == before["events"]
    assert [e[3]["sha256"] for e in after["events"][len(before["events"]) :]][-1] == hashlib.sha256(
        archive.read_bytes()
    ).hexdigest()
    assert after["amounts"] == before["amounts"] and any("." in a for a in after["amounts"])
    assert after["project_names"] == before["project_names"] and any("平台" in n for n in after["project_names"])
    assert after["report_sections"] == before["report_sections"] and after["report_sections"]

    # the restored database is no longer empty: a second restore is refused
    again = egovpm(env, "restore", str(archive))
    assert again.returncode == 1 and "not empty" in again.stderr, again.stderr


def test_restore_needs_the_same_audit_key(source: Any, tmp_path: Path) -> None:
    """Another MAC key cannot verify the restored chain: refused, nothing restored; the same
    database then takes the restore with the right key."""
    from django.conf import settings

    if not getattr(settings, "EGOVPM_AUDIT_KEY", None):
        pytest.fail("the audit chain has no MAC key in this release")
    archive, _before = source
    wrong = target_env(tmp_path / "target", EGOVPM_AUDIT_KEY="another-key-" + "x" * 40)
    done = egovpm(wrong, "restore", str(archive))
    assert done.returncode == 1, done.stdout
    assert "audit key" in done.stderr and "manifest" in done.stderr and done.stderr.count("\n") == 1
    # the manifest's MAC is checked first: the target database is not even created
    assert not (tmp_path / "target" / "db.sqlite3").exists()
    right = target_env(tmp_path / "target")
    assert egovpm(right, "restore", str(archive)).returncode == 0


def _flip_blob(name: str, data: bytes) -> bytes | None:
    return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("blobs/") else data


def _change_amount(name: str, data: bytes) -> bytes | None:
    if name == "data/budgets.expenditure.jsonl":
        first, _sep, rest = data.partition(b'"amount":"')
        return first + b'"amount":"9' + rest
    return data


def _drop_a_document(name: str, data: bytes) -> bytes | None:
    return None if name.startswith("blobs/") else data


TAMPERINGS: list[tuple[str, Callable[[str, bytes], bytes | None], dict[str, bytes] | None]] = [
    ("blob-byte", _flip_blob, None),
    ("amount-edited", _change_amount, None),
    ("file-missing", _drop_a_document, None),
    ("member-added", lambda name, data: data, {"data/extra.jsonl": b"{}\n"}),
]


def test_tampered_archive_is_refused_and_nothing_changes(
    source: Any, capsys: Any, tmp_path: Path, one_line: Callable[[str], None]
) -> None:
    archive, before = source
    events = AuditEvent.objects.count()
    for label, tamper, extra in TAMPERINGS:
        bad = tmp_path / f"tampered-{label}.tar"
        rewrite(archive, bad, tamper, extra)
        # into this (non-empty) database: the archive check comes first, and nothing is written
        code, _out, err = run(capsys, "restore", str(bad))
        assert code == 1, label
        one_line(err)
        assert "archive refused" in err, (label, err)
    assert AuditEvent.objects.count() == events
    assert {k: v for k, v in probe()["counts"].items() if not k.startswith("audit.")} == {
        k: v for k, v in before["counts"].items() if not k.startswith("audit.")
    }


def _manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        fh = tar.extractfile("manifest.json")
        assert fh is not None
        return dict(json.loads(fh.read()))


def _forge(archive: Path, out: Path, edit: Callable[[bytes], bytes], member: str) -> dict[str, Any]:
    """Edit one data file and recompute its size, SHA-256 and SM3 in the manifest (keeping the
    manifest's MAC, which cannot be recomputed without the audit key)."""
    manifest = _manifest_of(archive)

    def change(name: str, data: bytes) -> bytes | None:
        if name == member:
            edited = edit(data)
            manifest["files"][name] = {
                "size": len(edited),
                "sha256": hashlib.sha256(edited).hexdigest(),
                "sm3": hashlib.new("sm3", edited).hexdigest(),
            }
            return edited
        return data

    half = out.with_suffix(".half")
    rewrite(archive, half, change)
    rewrite(half, out, lambda m, d: json.dumps(manifest).encode() if m == "manifest.json" else d)
    return manifest


def _promote_to_sys_admin(data: bytes) -> bytes:
    """Every user of the archive made a superuser with a known password hash."""
    lines = []
    for line in data.decode().splitlines():
        row = json.loads(line)
        row.update(is_superuser=True, is_staff=True, password="md5$salt$" + "0" * 32)  # noqa: S105 (a forgery)
        lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n").encode()


def test_a_manifest_with_every_digest_recomputed_is_refused_by_its_mac(
    source: Any, tmp_path: Path, one_line: Callable[[str], None]
) -> None:
    """Rows edited (users promoted, password hashes replaced) and every size, SHA-256 and SM3
    recomputed: the manifest's HMAC-SM3 (audit key) does not match; refused before the empty
    target database is even created."""
    archive, _before = source
    manifest = _manifest_of(archive)
    assert manifest["key_id"].startswith("k") and len(manifest["mac"]) == 64
    forged = tmp_path / "forged.tar"
    _forge(archive, forged, _promote_to_sys_admin, "data/accounts.user.jsonl")
    env = target_env(tmp_path / "target")
    done = egovpm(env, "restore", str(forged))
    assert done.returncode == 1
    one_line(done.stderr)
    assert "manifest.json does not match its MAC" in done.stderr
    assert not (tmp_path / "target" / "db.sqlite3").exists()


@pytest.mark.parametrize("strip", [("mac",), ("mac", "key_id")])
def test_an_unsigned_manifest_is_refused(
    strip: tuple[str, ...], source: Any, capsys: Any, tmp_path: Path, one_line: Callable[[str], None]
) -> None:
    archive, _before = source
    manifest = {k: v for k, v in _manifest_of(archive).items() if k not in strip}
    bad = tmp_path / "unsigned.tar"
    rewrite(archive, bad, lambda m, d: json.dumps(manifest).encode() if m == "manifest.json" else d)
    code, _out, err = run(capsys, "restore", str(bad))
    assert code == 1
    one_line(err)
    assert "not signed" in err


def test_non_empty_database_is_refused(source: Any, capsys: Any, one_line: Callable[[str], None]) -> None:
    archive, before = source
    events = AuditEvent.objects.count()
    code, _out, err = run(capsys, "restore", str(archive))
    assert code == 1
    one_line(err)
    assert "not empty" in err
    assert AuditEvent.objects.count() == events
    assert {k: v for k, v in probe()["counts"].items() if not k.startswith("audit.")} == {
        k: v for k, v in before["counts"].items() if not k.startswith("audit.")
    }


def test_not_an_archive_is_refused(db: Any, capsys: Any, tmp_path: Path, one_line: Callable[[str], None]) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    code, _out, err = run(capsys, "restore", str(junk))
    assert code == 1
    one_line(err)
    code, _out, err = run(capsys, "restore", str(tmp_path / "missing.tar"))
    assert code == 1
    one_line(err)
