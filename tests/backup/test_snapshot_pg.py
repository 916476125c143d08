"""The backup is consistent while the server runs (api.md, Operations): it reads one snapshot, so
a write another server commits during the backup is either wholly in the archive or wholly out.

PostgreSQL only: the SQLite test database lives in memory and cannot be shared with a second
connection (the SQLite backup reads one deferred transaction, which WAL makes a snapshot)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from backup.conftest import archive_rows
from egovpm.accounts.models import Department
from egovpm.accounts.services import department_add

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_write_committed_during_the_backup_is_not_half_in_it(
    departments: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the test database needs PostgreSQL (the SQLite one is in memory)")
    from egovpm.ops import backup as bk

    real = bk._dump_model
    outcome: list[Any] = []

    def write() -> None:
        from django.db import connection as other

        try:
            outcome.append(department_add(actor=None, code="during", name="备份期间新增", kind="central"))
        except Exception as exc:  # reported by the assertion below
            outcome.append(exc)
        finally:
            other.close()

    def dump_then_someone_writes(model: Any, *args: Any) -> Any:
        entry = real(model, *args)
        if model._meta.label_lower == "accounts.department" and not outcome:
            # another server commits a department and its audit event after the departments were read
            # and before the audit trail is
            worker = threading.Thread(target=write)
            worker.start()
            worker.join(30)
        return entry

    monkeypatch.setattr(bk, "_dump_model", dump_then_someone_writes)
    bk.backup(tmp_path / "during.tar")
    assert outcome and isinstance(outcome[0], Department), outcome
    assert Department.objects.filter(code="during").exists()  # committed meanwhile

    rows = archive_rows(tmp_path / "during.tar")
    assert not [r for r in rows["accounts.department"].values() if r["code"] == "during"]
    events = [r for r in rows["audit.auditevent"].values() if (r["new"] or {}).get("code") == "during"]
    assert events == []  # without the snapshot the audit table, read later, would hold the event
