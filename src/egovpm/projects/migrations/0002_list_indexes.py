"""Indexes for the project list at national scale (issue 13): its order (newest first), a
department's scope (lead and participation), and on PostgreSQL the search `q` (trigram GIN indexes
on name and code, which serve ILIKE '%…%').

The trigram part runs on PostgreSQL only: SQLite (the embedded default) has no such index and
searches by scanning, correct and slower. `CREATE EXTENSION pg_trgm` needs the CREATE privilege
on the database (pg_trgm is a trusted extension: the database owner has it), or a DBA who created
the extension beforehand (docs/deployment.md)."""

from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Django's `icontains` on PostgreSQL is `UPPER("col"::text) LIKE UPPER('%…%')`: the index is on
# that very expression, or the planner cannot use it.
TRIGRAM_INDEXES = {
    "project_name_trgm": "name",
    "project_code_trgm": "code",
}


def add_trigram_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "projects_project" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_apitoken_expires_at_required"),
        ("projects", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(fields=["department", "project"], name="participation_by_department"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True), models.F("code"), name="project_newest_first"
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                models.F("lead_department"),
                models.OrderBy(models.F("created_at"), descending=True),
                models.F("code"),
                name="project_lead_newest",
            ),
        ),
        # a no-op off PostgreSQL (Django's CreateExtension checks the vendor itself)
        TrigramExtension(),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
