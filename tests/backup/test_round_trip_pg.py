"""SQLite → PostgreSQL → SQLite (api.md, Operations): how a trial install grows into production,
and back. Runs in the PostgreSQL pass (`make test-postgres`), every step through the `egovpm`
command in its own process: the demo is loaded into a SQLite file and backed up, restored into a
new database on the throwaway cluster, backed up there, and restored into a new SQLite file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from backup.conftest import archive_rows, egovpm, probe_of, target_env

pytestmark = pytest.mark.postgres

AUDIT = {"audit.auditevent", "audit.audithead"}


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A new, empty database on the cluster of DATABASE_URL; dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs the throwaway PostgreSQL cluster (scripts/with-postgres.sh sets DATABASE_URL)")
    import psycopg

    name = f"egovpm_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def step(env: dict[str, str], *args: str) -> str:
    done = egovpm(env, *args)
    assert done.returncode == 0, f"egovpm {' '.join(args)}: {done.stderr}"
    return done.stdout


def without_audit(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if k not in AUDIT}


def test_sqlite_to_postgresql_and_back(pg_database: str, tmp_path: Path) -> None:
    trial = target_env(tmp_path / "trial", EGOVPM_AUDIT_KEY="round-trip-audit-key-" + "k" * 32)
    key = {"EGOVPM_AUDIT_KEY": trial["EGOVPM_AUDIT_KEY"]}
    production = target_env(tmp_path / "production", pg_database, **key)
    back = target_env(tmp_path / "back", **key)

    # a trial install on SQLite
    step(trial, "demo", "--no-serve")
    source = probe_of(trial)
    from_sqlite = tmp_path / "from-sqlite.tar"
    step(trial, "backup", str(from_sqlite))

    # grows into production on PostgreSQL
    assert "restored" in step(production, "restore", str(from_sqlite))
    assert "intact" in step(production, "audit", "verify")
    on_pg = probe_of(production)
    # sequences follow the restored ids: new rows get fresh keys
    step(production, "department", "add", "newdep", "--name", "新设部门", "--kind", "central")
    from_pg = tmp_path / "from-postgresql.tar"
    step(production, "backup", str(from_pg))

    # and back to SQLite
    assert "restored" in step(back, "restore", str(from_pg))
    assert "intact" in step(back, "audit", "verify")
    again = probe_of(back)

    for after in (on_pg, again):
        assert after["digest_mismatches"] == [] and after["documents"] == source["documents"] > 0
        assert after["events"][: len(source["events"])] == source["events"]  # microseconds, JSON, Chinese
        assert after["amounts"] == source["amounts"] and after["amounts"]
        assert after["project_names"] == source["project_names"]
        assert after["report_sections"] == source["report_sections"] and after["report_sections"]
    assert without_audit(on_pg["counts"]) == without_audit(source["counts"])
    expected = {**without_audit(source["counts"]), "accounts.department": source["counts"]["accounts.department"] + 1}
    assert without_audit(again["counts"]) == expected
    assert any(not at.endswith(".000000+00:00") for _s, at, _r, _n in source["events"])

    # Every row of every table identical after two engine changes (JSON key order aside), apart
    # from what happened on the way: the audit events of the backups/restores and the new department.
    final = tmp_path / "final.tar"
    step(back, "backup", str(final))
    first, last = archive_rows(from_sqlite), archive_rows(final)
    assert set(first) == set(last)
    for label, rows in first.items():
        if label in AUDIT:
            continue
        extra = {pk: r for pk, r in last[label].items() if pk not in rows}
        assert {pk: last[label].get(pk) for pk in rows} == rows, label
        assert label == "accounts.department" or not extra, label
    events = last["audit.auditevent"]
    assert all(events[pk] == row for pk, row in first["audit.auditevent"].items())
    # (each backup records itself after its snapshot: on the database it was taken from, not in the archive)
    added = [
        r["action"]
        for pk, r in sorted(events.items(), key=lambda kv: int(kv[0]))
        if pk not in first["audit.auditevent"]
    ]
    assert added == ["system.restore", "department.add", "system.restore"]
