"""The number of projects, kept by PostgreSQL itself (issue 13): the unfiltered list of NDRC and
the MOF viewer counts every project on each page, `COUNT(*)` reads 100,000 index entries for
it (5–10 ms at 100,000 projects, more than the page itself); this reads one row.

`projects_total` (one row) is raw SQL, not a Django model, so that backup and restore
(egovpm/ops/backup.py, which carry the models' rows) never carry it: a restore inserts the
projects and the triggers count them. Statement-level triggers with transition tables add the
rows each INSERT (COPY included: `egovpm seed-synthetic`) or DELETE statement wrote, and TRUNCATE
sets 0, in the writing transaction — a concurrent creation waits for the row (as it waits for its
code sequence) and then adds to the committed total: the number is exact at every snapshot
under READ COMMITTED. Without the row (SQLite, or the table truncated with the projects, as a
test database's flush does) selectors.project_total counts the table instead.

Nothing is created on SQLite."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FORWARD = [
    """CREATE TABLE projects_total (id smallint PRIMARY KEY CHECK (id = 1), total bigint NOT NULL CHECK (total >= 0))""",
    """CREATE FUNCTION projects_total_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects_total SET total = total + (SELECT count(*) FROM new_rows) WHERE id = 1;
    RETURN NULL;
END $$""",
    """CREATE FUNCTION projects_total_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects_total SET total = total - (SELECT count(*) FROM old_rows) WHERE id = 1;
    RETURN NULL;
END $$""",
    """CREATE FUNCTION projects_total_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects_total SET total = 0 WHERE id = 1;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER projects_total_insert AFTER INSERT ON projects_project
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_total_insert()""",
    """CREATE TRIGGER projects_total_delete AFTER DELETE ON projects_project
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_total_delete()""",
    """CREATE TRIGGER projects_total_truncate AFTER TRUNCATE ON projects_project
    FOR EACH STATEMENT EXECUTE FUNCTION projects_total_truncate()""",
    """LOCK TABLE projects_project IN SHARE MODE""",
    """INSERT INTO projects_total (id, total) SELECT 1, count(*) FROM projects_project""",
]

BACKWARD = [
    """DROP TRIGGER IF EXISTS projects_total_insert ON projects_project""",
    """DROP TRIGGER IF EXISTS projects_total_delete ON projects_project""",
    """DROP TRIGGER IF EXISTS projects_total_truncate ON projects_project""",
    """DROP FUNCTION IF EXISTS projects_total_insert()""",
    """DROP FUNCTION IF EXISTS projects_total_delete()""",
    """DROP FUNCTION IF EXISTS projects_total_truncate()""",
    """DROP TABLE IF EXISTS projects_total""",
]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_list_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
