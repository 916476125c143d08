"""`egovpm backup PATH` and `egovpm restore PATH` (api.md, Operations; docs/operations.md).

The archive is a plain tar file:

    data/<app_label>.<model>.jsonl   one JSON object per row, keyed by the model's column attnames
    blobs/<ab>/<sha256>              every stored file a row points to (documents, opinion attachments)
    manifest.json                    format, versions, source engine, migrations, row counts, and the
                                     size, SHA-256 and SM3 of every other member (written last)

Values are written losslessly and without reference to the engine: datetimes as ISO 8601 in UTC
with microseconds, dates and times as ISO 8601, decimals and UUIDs as strings, binary as base64,
durations as Django's duration string, JSON columns as JSON. Django's `dumpdata` is not used: its
encoder truncates datetimes to milliseconds (which breaks the audit chain) and it leaves the
stored files out.

The backup reads one snapshot (PostgreSQL: a REPEATABLE READ, READ ONLY transaction; SQLite: one
deferred read transaction, which WAL turns into a snapshot without blocking writers), so it is
consistent while the server runs. Blobs are content-addressed and never overwritten, so copying
the blobs that the snapshot's rows name is consistent too.

The restore verifies the whole archive before it touches the database (any mismatch: refused,
nothing written), refuses a database that holds data, brings the schema up to date, checks the
schema is the one the backup was made with, then inserts every row in one transaction with raw
inserts (no `save()`, no signals: the audit trail's append-only guard and `auto_now` fields leave
the rows exactly as they were), resets PostgreSQL's sequences, stores the blobs, and verifies the
audit chain before it commits.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import hashlib
import hmac
import io
import json
import os
import re
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_string

from egovpm.audit.actions import AuditAction
from egovpm.core import clock
from egovpm.core.errors import InvalidInput

FORMAT = "egovpm-backup"
# 2: the manifest carries "key_id" and "mac" (HMAC-SM3 with the audit key); API tokens left out
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024

# Left out on purpose: sessions are short-lived and tied to the source's secret key, and API tokens
# would come back to life after being revoked on the source since the backup; users and clients
# log in again after a restore.
EXCLUDED = {"sessions.session", "accounts.apitoken"}

# Rows that `egovpm migrate` itself creates in an empty database: content types and permissions
# (post_migrate) and the default specialties (reviews 0002). An empty target may hold these; the
# restore replaces them with the backup's own rows, so that every id matches the backup.
MIGRATION_SEEDED = {"contenttypes.contenttype", "auth.permission", "reviews.specialty"}

# Columns that name a stored blob by its SHA-256 (documents/storage.py), with the column holding
# its SM3. The backup carries every blob these rows name.
BLOB_COLUMNS = [("documents.document", "sha256", "sm3"), ("reviews.opinion", "attachment_sha256", "attachment_sm3")]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupRefused(InvalidInput):
    """A backup or restore that cannot go ahead; the message is the one line the CLI prints."""


@dataclass
class Summary:
    path: Path
    rows: int = 0
    tables: int = 0
    blobs: int = 0
    size: int = 0
    sha256: str = ""
    sm3: str = ""
    counts: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------- models


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app (many-to-many tables included) except
    EXCLUDED, parents before the rows that point at them (self references and cycles are fine:
    the foreign keys are checked at commit on both engines)."""
    candidates = {
        m._meta.label_lower: m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped and m._meta.label_lower not in EXCLUDED
    }
    ordered: list[type[models.Model]] = []
    seen: set[str] = set()

    def visit(label: str, path: tuple[str, ...]) -> None:
        if label in seen or label in path:
            return
        model = candidates[label]
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if isinstance(target, type) and target._meta.label_lower in candidates:
                visit(target._meta.label_lower, (*path, label))
        seen.add(label)
        ordered.append(model)

    for label in sorted(candidates):
        visit(label, ())
    return ordered


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


# ------------------------------------------------------------------------------------------- values


def encode(value: Any) -> Any:
    """A column value as JSON, losslessly (see the module docstring)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise BackupRefused(f"naive datetime {value!r} in the database")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise BackupRefused(f"cannot write a value of type {type(value).__name__}")


def decode(f: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value)
    return f.to_python(value)


# ------------------------------------------------------------------------------------------- digests


class _Digest:
    def __init__(self) -> None:
        self.sha256, self.sm3, self.size = hashlib.sha256(), hashlib.new("sm3"), 0

    def update(self, data: bytes) -> None:
        self.sha256.update(data)
        self.sm3.update(data)
        self.size += len(data)

    def entry(self) -> dict[str, Any]:
        return {"size": self.size, "sha256": self.sha256.hexdigest(), "sm3": self.sm3.hexdigest()}


def _file_digests(path: Path) -> dict[str, Any]:
    d = _Digest()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            d.update(chunk)
    return d.entry()


# ------------------------------------------------------------------------------------------- backup


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent read of the whole database (see the module docstring)."""
    if connection.in_atomic_block:
        # already inside a transaction (tests): that transaction is the snapshot
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Not transaction.atomic(): the settings make it BEGIN IMMEDIATE, which would hold the write
        # lock for the whole backup. A deferred BEGIN plus the first read pins a WAL snapshot.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT count(*) FROM sqlite_master")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    raise BackupRefused(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _refuse_pending_migrations() -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupRefused("the database schema is not up to date with this release: run `egovpm migrate` first")


def _egovpm_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("egovpm")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def backup(path: str | os.PathLike[str]) -> Summary:
    """Write the archive to `path` (refused if it exists). The archive appears only when complete:
    it is written under a temporary name beside it and renamed at the end."""
    target = Path(path)
    if target.exists():
        raise BackupRefused(f"{target} exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupRefused(f"directory {target.parent} does not exist")
    _refuse_pending_migrations()
    summary = Summary(path=target)
    files: dict[str, dict[str, Any]] = {}
    model_entries: list[dict[str, Any]] = []
    fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    partial = Path(partial_name)
    try:
        with (
            tempfile.TemporaryDirectory(dir=target.parent, prefix=".egovpm-backup-") as scratch,
            tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar,
            _snapshot(),
        ):
            created_at = clock.now()
            migrations = _applied_migrations()
            blobs: dict[str, str] = {}  # sha256 -> sm3 named by the rows
            for model in backed_up_models():
                entry = _dump_model(model, Path(scratch), tar, files, blobs)
                model_entries.append(entry)
                summary.counts[entry["label"]] = entry["rows"]
            for sha256 in sorted(blobs):
                _add_blob(tar, Path(scratch), files, sha256, blobs[sha256])
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "egovpm_version": _egovpm_version(),
                "source_engine": connection.vendor,
                "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "excluded": sorted(EXCLUDED),
                "migrations": migrations,
                "models": model_entries,
                "files": files,
            }
            manifest = _signed(manifest)
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o440
            tar.addfile(info, io.BytesIO(data))
            summary.blobs = len(blobs)
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.link(partial, target)  # never replaces a file that appeared meanwhile
    except DatabaseError as exc:
        raise BackupRefused(f"backup failed, no archive written: {_first_line(exc)}")
    finally:
        partial.unlink(missing_ok=True)
    whole = _file_digests(target)
    summary.size, summary.sha256, summary.sm3 = whole["size"], whole["sha256"], whole["sm3"]
    summary.rows = sum(summary.counts.values())
    summary.tables = len(summary.counts)
    _audit(
        AuditAction.SYSTEM_BACKUP,
        summary,
        {"source_engine": connection.vendor, "created_at": created_at.astimezone(dt.UTC).isoformat()},
    )
    return summary


def _dump_model(
    model: type[models.Model],
    scratch: Path,
    tar: tarfile.TarFile,
    files: dict[str, dict[str, Any]],
    blobs: dict[str, str],
) -> dict[str, Any]:
    label = model._meta.label_lower
    columns = _columns(model)
    names = [f.attname for f in columns]
    json_columns = {f.attname for f in columns if isinstance(f, models.JSONField)}  # kept as JSON
    blob_columns = [(s, m) for lab, s, m in BLOB_COLUMNS if lab == label]
    member = f"data/{label}.jsonl"
    local = scratch / f"{label}.jsonl"
    digest, rows = _Digest(), 0
    with local.open("wb") as out:
        qs = model._base_manager.order_by("pk").values_list(*names)
        for values in qs.iterator(chunk_size=2000):
            row = dict(zip(names, values, strict=True))
            for sha_col, sm3_col in blob_columns:
                if row[sha_col]:
                    blobs[row[sha_col]] = row[sm3_col]
            encoded = {k: v if k in json_columns else encode(v) for k, v in row.items()}
            line = json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))
            data = line.encode() + b"\n"
            digest.update(data)
            out.write(data)
            rows += 1
    info = tarfile.TarInfo(member)
    info.size, info.mode, info.mtime = digest.size, 0o440, int(clock.now().timestamp())
    with local.open("rb") as fh:
        tar.addfile(info, fh)
    local.unlink()
    files[member] = digest.entry()
    return {"label": label, "table": model._meta.db_table, "file": member, "rows": rows, "columns": names}


def _add_blob(tar: tarfile.TarFile, scratch: Path, files: dict[str, dict[str, Any]], sha256: str, sm3: str) -> None:
    """Copy one blob into the archive through a scratch file (never the whole blob in memory),
    checking it against its name and its row's SM3 on the way."""
    from egovpm.documents import storage

    if not _SHA256.match(sha256):
        raise BackupRefused(f"a row names a stored file by an invalid digest {sha256!r}")
    local = scratch / sha256
    try:
        storage.copy_to(sha256, local)
    except FileNotFoundError:
        raise BackupRefused(f"stored file {sha256} is missing (see `egovpm storage check`)")
    entry = _file_digests(local)
    if entry["sha256"] != sha256 or (sm3 and entry["sm3"] != sm3):
        raise BackupRefused(f"stored file {sha256} does not match its digests: the store is damaged")
    member = f"blobs/{sha256[:2]}/{sha256}"
    info = tarfile.TarInfo(member)
    info.size, info.mode, info.mtime = entry["size"], 0o440, int(clock.now().timestamp())
    with local.open("rb") as fh:
        tar.addfile(info, fh)
    local.unlink()
    files[member] = entry


# ------------------------------------------------------------------------------------------- verify


def verify(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Check the archive completely and return its manifest; raise BackupRefused on any mismatch.
    Reads the archive only: nothing is written anywhere."""
    source = Path(path)
    if not source.is_file():
        raise BackupRefused(f"{source} is not a file")
    try:
        with tarfile.open(source, "r:*") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if len(set(names)) != len(names):
                raise BackupRefused("archive refused: a member appears twice")
            for m in members:
                if not m.isfile() or m.name.startswith("/") or ".." in m.name.split("/"):
                    raise BackupRefused(f"archive refused: unexpected member {m.name!r}")
            if MANIFEST not in names:
                raise BackupRefused("archive refused: no manifest.json (not an egovpm backup)")
            manifest = _read_manifest(tar)
            _refuse_unsigned(manifest)
            listed: dict[str, dict[str, Any]] = manifest["files"]
            extra = sorted(set(names) - set(listed) - {MANIFEST})
            missing = sorted(set(listed) - set(names))
            if extra or missing:
                what = f"{extra[0]} is not in the manifest" if extra else f"{missing[0]} is missing"
                raise BackupRefused(f"archive refused: {what}")
            for m in members:
                if m.name == MANIFEST:
                    continue
                got = _member_digests(tar, m)
                if got != {k: listed[m.name].get(k) for k in ("size", "sha256", "sm3")}:
                    raise BackupRefused(f"archive refused: {m.name} does not match its SHA-256/SM3 in the manifest")
                if m.name.startswith("blobs/") and m.name != f"blobs/{got['sha256'][:2]}/{got['sha256']}":
                    raise BackupRefused(f"archive refused: {m.name} is not named by its SHA-256")
            _check_models(manifest, tar)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupRefused(f"archive refused: not a readable tar file ({_first_line(exc)})")
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    fh = tar.extractfile(MANIFEST)
    assert fh is not None
    try:
        manifest = json.loads(fh.read())
    except ValueError:
        raise BackupRefused("archive refused: manifest.json is not JSON")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused("archive refused: manifest.json is not an egovpm backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"archive refused: format version {manifest.get('format_version')!r}; this release reads {FORMAT_VERSION}"
        )
    for key, kind in (("files", dict), ("models", list), ("migrations", list)):
        if not isinstance(manifest.get(key), kind):
            raise BackupRefused(f"archive refused: manifest.json has no valid {key!r}")
    return manifest


def _signed(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with the audit key's id and an HMAC-SM3 over the rest of it, so that a row
    edited in the archive cannot be passed off by recomputing every digest (the restore needs the
    source's audit key anyway: docs/operations.md)."""
    from egovpm.audit.services import current_key, payload_mac

    key_id, key = current_key()
    body = {**manifest, "key_id": key_id}
    return {**body, "mac": payload_mac(key, body)}


def _refuse_unsigned(manifest: dict[str, Any]) -> None:
    """The manifest's MAC, checked before anything else in it is believed."""
    from egovpm.audit.services import known_keys, payload_mac

    key_id, mac = manifest.get("key_id"), manifest.get("mac")
    if not isinstance(key_id, str) or not isinstance(mac, str):
        raise BackupRefused("archive refused: manifest.json is not signed (no key_id/mac)")
    key = known_keys().get(key_id)
    if key is None:
        raise BackupRefused(
            f"archive refused: manifest.json is signed with audit key {key_id}, which is neither EGOVPM_AUDIT_KEY "
            "nor in EGOVPM_AUDIT_OLD_KEYS here: is the audit key the same as the source's?"
        )
    body = {k: v for k, v in manifest.items() if k != "mac"}
    if not hmac.compare_digest(mac, payload_mac(key, body)):
        raise BackupRefused("archive refused: manifest.json does not match its MAC (edited after the backup)")


def _member_digests(tar: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, Any]:
    fh = tar.extractfile(member)
    assert fh is not None
    d = _Digest()
    while chunk := fh.read(CHUNK):
        d.update(chunk)
    return d.entry()


def _check_models(manifest: dict[str, Any], tar: tarfile.TarFile) -> None:
    """The manifest's tables are this release's, with the same columns, and each data file holds
    as many rows as the manifest says."""
    known = {m._meta.label_lower: m for m in backed_up_models()}
    listed = set()
    for entry in manifest["models"]:
        label = entry.get("label")
        if label not in known:
            raise BackupRefused(f"archive refused: table {label!r} is unknown to this release")
        listed.add(label)
        expected = [f.attname for f in _columns(known[label])]
        if entry.get("columns") != expected:
            raise BackupRefused(f"archive refused: the columns of {label} differ from this release's")
        if entry.get("file") not in manifest["files"]:
            raise BackupRefused(f"archive refused: the data of {label} is not listed")
        fh = tar.extractfile(entry["file"])
        assert fh is not None
        lines = 0
        while chunk := fh.read(CHUNK):
            lines += chunk.count(b"\n")
        if lines != entry.get("rows"):
            raise BackupRefused(
                f"archive refused: {entry['file']} holds {lines} rows, the manifest says {entry['rows']}"
            )
    if missing := sorted(set(known) - listed):
        raise BackupRefused(f"archive refused: no data for {missing[0]}")


# ------------------------------------------------------------------------------------------- restore


def restore(path: str | os.PathLike[str]) -> Summary:
    """Verify the archive, then load it into this (empty) database in one transaction."""
    manifest = verify(path)
    _refuse_if_not_empty()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _refuse_other_schema(manifest)
    summary = Summary(path=Path(path))
    whole = _file_digests(Path(path))
    summary.size, summary.sha256, summary.sm3 = whole["size"], whole["sha256"], whole["sm3"]
    known = {m._meta.label_lower: m for m in backed_up_models()}
    from egovpm.documents import storage

    try:
        with transaction.atomic(), tarfile.open(path, "r:*") as tar:
            _clear_seeded(known)
            for entry in manifest["models"]:
                model = known[entry["label"]]
                summary.counts[entry["label"]] = _load_model(model, entry, tar)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(known.values())):
                    cursor.execute(sql)
            blobs = {name for name in manifest["files"] if name.startswith("blobs/")}
            _refuse_missing_blobs(known, blobs)
            for name in sorted(blobs):
                fh = tar.extractfile(name)
                assert fh is not None
                with storage.spool(_chunks(fh)) as spooled:
                    if spooled.sha256 != name.rsplit("/", 1)[1]:
                        raise BackupRefused(f"restore refused: {name} changed while it was read")
                    storage.store_spooled(spooled)
            summary.blobs = len(blobs)
            summary.rows = sum(summary.counts.values())
            summary.tables = len(summary.counts)
            _refuse_broken_chain()
            _audit(
                AuditAction.SYSTEM_RESTORE,
                summary,
                {"source_engine": manifest.get("source_engine"), "created_at": manifest.get("created_at")},
            )
    except DatabaseError as exc:
        raise BackupRefused(f"restore refused by the database, nothing restored: {_first_line(exc)}")
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return summary


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _refuse_if_not_empty() -> None:
    existing = set(connection.introspection.table_names())
    for model in backed_up_models():
        label = model._meta.label_lower
        if label in MIGRATION_SEEDED or model._meta.db_table not in existing:
            continue
        if model._base_manager.exists():
            raise BackupRefused(
                f"restore refused: the database is not empty ({label} has rows); restore into an empty database"
            )


def _refuse_other_schema(manifest: dict[str, Any]) -> None:
    here, there = set(_applied_migrations()), set(manifest["migrations"])
    if newer := sorted(there - here):
        raise BackupRefused(f"restore refused: the backup was made by a newer release (migration {newer[0]})")
    if older := sorted(here - there):
        raise BackupRefused(
            f"restore refused: the backup predates migration {older[0]}; restore it with the release "
            f"that made it ({manifest.get('egovpm_version')}), then upgrade"
        )


def _clear_seeded(known: dict[str, type[models.Model]]) -> None:
    """Remove what `migrate` put into the empty database; the backup's own rows replace it."""
    with connection.cursor() as cursor:
        for model in reversed(list(known.values())):
            if model._meta.label_lower in MIGRATION_SEEDED:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def _load_model(model: type[models.Model], entry: dict[str, Any], tar: tarfile.TarFile) -> int:
    columns = _columns(model)
    by_name = {f.attname: f for f in columns}
    fh = tar.extractfile(entry["file"])
    assert fh is not None
    batch: list[models.Model] = []
    size = max(1, min(500, connection.ops.bulk_batch_size(columns, [None] * 500)))
    rows = 0
    for raw in _lines(fh):
        try:
            record = json.loads(raw)
        except ValueError:
            raise BackupRefused(f"restore refused: a row of {entry['label']} is not JSON")
        if not isinstance(record, dict) or set(record) != set(by_name):
            raise BackupRefused(f"restore refused: a row of {entry['label']} has other columns")
        try:
            values = {name: decode(by_name[name], value) for name, value in record.items()}
        except Exception as exc:  # a value this column cannot hold (ValidationError, ValueError …)
            raise BackupRefused(f"restore refused: a value of {entry['label']} is invalid ({exc})")
        batch.append(model(**values))
        rows += 1
        if len(batch) >= size:
            _insert(model, columns, batch)
            batch = []
    if batch:
        _insert(model, columns, batch)
    if rows != entry["rows"] or model._base_manager.count() != rows:
        raise BackupRefused(f"restore refused: {entry['label']} has {rows} rows, the manifest says {entry['rows']}")
    return rows


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def _lines(fh: IO[bytes]) -> Iterator[bytes]:
    for line in fh:
        if line.strip():
            yield line


def _insert(model: type[models.Model], columns: list[models.Field[Any, Any]], objs: list[models.Model]) -> None:
    # Raw insert: no save(), no pre_save (auto_now stays as stored), no signals: rows go in as they were.
    # Manager._insert (Django's raw bulk insert, no save() or signals) is private, so the stub omits it
    model._base_manager._insert(objs, fields=columns, raw=True, using=connection.alias)  # type: ignore[attr-defined]


def _refuse_missing_blobs(known: dict[str, type[models.Model]], blobs: set[str]) -> None:
    for label, sha_col, _sm3 in BLOB_COLUMNS:
        model = known[label]
        named = model._base_manager.exclude(**{sha_col: ""}).values_list(sha_col, flat=True).distinct()
        for sha256 in named.iterator():
            if f"blobs/{sha256[:2]}/{sha256}" not in blobs:
                raise BackupRefused(f"restore refused: stored file {sha256} named by {label} is not in the archive")


def _refuse_broken_chain() -> None:
    from egovpm.audit.services import audit_chain_verify

    broken = audit_chain_verify()
    if broken:
        raise BackupRefused(
            "restore refused: the restored audit chain does not verify (event(s) "
            f"{', '.join(map(str, broken[:5]))}); is the audit key the same as the source's?"
        )


def _audit(action: AuditAction, summary: Summary, extra: dict[str, Any]) -> None:
    from egovpm.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            actor=None,
            action=action,
            object_type="backup",
            object_id=summary.sha256,
            new={
                "file": summary.path.name,
                "sha256": summary.sha256,
                "sm3": summary.sm3,
                "size": summary.size,
                "rows": summary.rows,
                "blobs": summary.blobs,
                **extra,
            },
        )


# ------------------------------------------------------------------------------------------- CLI


def run_cli(args: Any) -> int:
    """`egovpm backup PATH` / `egovpm restore PATH`; refusals raise BackupRefused (one line, exit 1)."""
    if args.command == "backup":
        s = backup(args.path)
        print(f"backup written: {s.path} ({s.rows} rows in {s.tables} tables, {s.blobs} stored files, {s.size} bytes)")
    else:
        s = restore(args.path)
        print(f"restored {s.rows} rows in {s.tables} tables and {s.blobs} stored files from {s.path}")
    print(f"sha256 {s.sha256}")
    print(f"sm3    {s.sm3}")
    return 0
