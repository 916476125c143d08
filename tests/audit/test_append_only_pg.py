"""On PostgreSQL the database itself refuses to change or remove audit events (migration 0004):
a `QuerySet.update()` or `.delete()` that bypasses the model's guards fails, and so does TRUNCATE,
whatever the session sets; only the table's owner can disable the trigger, and TRUNCATE passes
only in a test database (docs/audit.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from egovpm.audit.models import AuditEvent
from egovpm.audit.services import audit_chain_verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (run in the PostgreSQL pass)")


def snapshot() -> list[tuple[Any, ...]]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "action", "new", "hash"))


def test_update_delete_and_truncate_are_refused_by_the_database(project: Any) -> None:
    before = snapshot()
    victim = AuditEvent.objects.order_by("seq").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=victim.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=victim.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert snapshot() == before
    assert audit_chain_verify() == []


@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_by_the_database(personas: dict[str, Any]) -> None:
    from conftest import make_project

    make_project(personas["staff_a"])
    before = snapshot()
    assert before
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # the test sessions allow TRUNCATE for Django's flush between tests (tests/conftest.py):
        # this one behaves as production does
        cursor.execute("SET LOCAL egovpm.audit_truncate = 'off'")
        cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert snapshot() == before


def test_inserts_still_work(project: Any, personas: dict[str, Any]) -> None:
    """A restore writes rows back with plain INSERTs: the trigger lets them through."""
    from egovpm.projects.services import project_update

    before = AuditEvent.objects.count()
    project_update(actor=personas["staff_a"], project_id=project.pk, changes={"name": "改名"})
    assert AuditEvent.objects.count() == before + 1
    assert audit_chain_verify() == []


def test_no_session_setting_opens_the_table(project: Any) -> None:
    """0004 let any session through with `SET LOCAL egovpm.audit_maintenance = 'on'`; 0006 has no
    such switch. Only the table's owner can disable the trigger (ALTER TABLE), and the chain still
    tells."""
    victim = AuditEvent.objects.order_by("seq").first()
    before = snapshot()
    for setting in ("egovpm.audit_maintenance", "egovpm.audit_truncate"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL {setting} = 'on'")
            AuditEvent.objects.filter(pk=victim.pk).update(action="tampered")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL {setting} = 'on'")
            AuditEvent.objects.filter(pk=victim.pk).delete()
    assert snapshot() == before

    from audit.tampering import disable_append_only_trigger

    disable_append_only_trigger()  # the owner's privilege, not a setting
    AuditEvent.objects.filter(pk=victim.pk).update(action="tampered")
    assert audit_chain_verify() == [victim.seq]  # and the chain still tells


def test_truncate_needs_a_test_database_as_well_as_the_flag() -> None:
    """The function lets TRUNCATE through only in a database named test_… with the session flag
    set; checked on its source, since a test database is the only one a test can reach."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'egovpm_audit_append_only'")
        (source,) = cursor.fetchone()
        cursor.execute("SELECT current_database()")
        (name,) = cursor.fetchone()
    assert "audit_maintenance" not in source
    assert "current_database() LIKE 'test\\_%'" in source and "egovpm.audit_truncate" in source
    assert name.startswith("test_")
