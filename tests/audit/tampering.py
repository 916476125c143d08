"""Playing the intruder on PostgreSQL: the append-only trigger (audit migrations 0004, 0006)
refuses UPDATE and DELETE of audit events, and no session setting opens it. A test that tampers
on purpose disables it inside its own transaction, which only the table's owner (or a superuser)
may do; the test's rollback enables it again."""

from __future__ import annotations


def disable_append_only_trigger() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # ALTER TABLE is refused while the transaction has deferred foreign-key checks pending
        # on the table (rows the test wrote before): run them now, then defer again
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
