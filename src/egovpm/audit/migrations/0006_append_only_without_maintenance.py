"""The append-only trigger function without its maintenance switch (docs/audit.md).

0004 let any session UPDATE, DELETE or TRUNCATE audit events after `SET LOCAL
egovpm.audit_maintenance = 'on'` — a switch any code path or psql session could flip, and that
nothing but the tests used (a restore only INSERTs, into an empty database). Now:
- UPDATE and DELETE are always refused. Tests that tamper on purpose run `ALTER TABLE
  audit_auditevent DISABLE TRIGGER USER` inside their own (rolled-back) transaction, which only
  the table's owner (or a superuser) may do — a privilege, not a setting.
- TRUNCATE is allowed only in a database whose name starts with `test_` (pytest-django's) AND in a
  session that set `egovpm.audit_truncate = 'on'` (tests/conftest.py does, so that Django's
  TransactionTestCase can flush the tables). Production databases are not named `test_…`.
The triggers themselves (0004) are unchanged; only the function they call is replaced."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FUNCTION = """
CREATE OR REPLACE FUNCTION egovpm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_database() LIKE 'test\\_%'
       AND coalesce(current_setting('egovpm.audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""

# 0004's function, for migrating back
PREVIOUS = """
CREATE OR REPLACE FUNCTION egovpm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('egovpm.audit_maintenance', true), '') = 'on'
       OR (TG_OP = 'TRUNCATE' AND coalesce(current_setting('egovpm.audit_truncate', true), '') = 'on') THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def restore_previous(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_genesis_head_macs")]

    operations = [migrations.RunPython(install, restore_previous)]
