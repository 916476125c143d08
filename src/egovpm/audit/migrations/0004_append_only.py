"""One link per (chain, chain_seq); on PostgreSQL, triggers that refuse UPDATE, DELETE and TRUNCATE
of audit events at the database level, so that `QuerySet.update()` or a stray SQL statement
cannot bypass the model's guards (docs/audit.md).

The triggers let a session through only when it says so explicitly:
- `SET LOCAL egovpm.audit_maintenance = 'on'` allows UPDATE, DELETE and TRUNCATE (a restore that
  replaces the trail, tests that tamper on purpose);
- `egovpm.audit_truncate = 'on'` allows TRUNCATE only: the test database sets it as a database
  default, so Django's TransactionTestCase can flush the tables between tests.
A database superuser can always drop the triggers: they stop the application and its operators'
mistakes, the keyed MAC and the off-site checkpoint catch the rest."""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations, models
from django.db.migrations.state import StateApps

FUNCTION = """
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
TRIGGERS = """
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION egovpm_audit_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION egovpm_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS egovpm_audit_append_only();
"""


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGERS, params=None)


def remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_reanchor")]

    operations = [
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "chain_seq"), name="audit_chain_link"),
        ),
        migrations.RunPython(install, remove),
    ]
