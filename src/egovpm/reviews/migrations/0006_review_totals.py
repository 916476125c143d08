"""The number of expert reviews by status, kept by PostgreSQL itself (issue 13), as
projects.0003_project_total keeps the number of projects: NDRC's and MoF's review lists (the
专家评议 page, `GET /expert-reviews`) count every review, or every review of one status, on each
page; `COUNT(*)` reads ~90,000 index entries at 100,000 projects (5–15 ms, more than the page);
this reads one or two rows.

`reviews_total` (one row per status that has reviews) is raw SQL, not a Django model, so that
backup and restore never carry it: a restore inserts the reviews and the triggers count them.
Statement-level triggers with transition tables add the rows each INSERT (COPY included:
`egovpm seed-synthetic`) wrote, take away those a DELETE removed, move those an UPDATE moved from
one status to another, and TRUNCATE empties it — in the writing transaction, so the numbers are
exact at every snapshot under READ COMMITTED (a status without a row has no review).
selectors.review_total reads it; without the table (SQLite) it counts the reviews.

Nothing is created on SQLite."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_ADD = """INSERT INTO reviews_total (status, total) SELECT status, count(*) FROM {rows} GROUP BY status
        ON CONFLICT (status) DO UPDATE SET total = reviews_total.total + EXCLUDED.total"""
_TAKE = """UPDATE reviews_total t SET total = t.total - d.n
        FROM (SELECT status, count(*) AS n FROM {rows} GROUP BY status) d WHERE t.status = d.status"""

FORWARD = [
    """CREATE TABLE reviews_total (status varchar(12) PRIMARY KEY, total bigint NOT NULL CHECK (total >= 0))""",
    f"""CREATE FUNCTION reviews_total_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_ADD.format(rows="new_rows")};
    RETURN NULL;
END $$""",
    f"""CREATE FUNCTION reviews_total_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_TAKE.format(rows="old_rows")};
    RETURN NULL;
END $$""",
    f"""CREATE FUNCTION reviews_total_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_TAKE.format(rows="old_rows")};
    {_ADD.format(rows="new_rows")};
    RETURN NULL;
END $$""",
    """CREATE FUNCTION reviews_total_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reviews_total;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER reviews_total_insert AFTER INSERT ON reviews_expertreview
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reviews_total_insert()""",
    """CREATE TRIGGER reviews_total_delete AFTER DELETE ON reviews_expertreview
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reviews_total_delete()""",
    """CREATE TRIGGER reviews_total_update AFTER UPDATE ON reviews_expertreview
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_total_update()""",
    """CREATE TRIGGER reviews_total_truncate AFTER TRUNCATE ON reviews_expertreview
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_total_truncate()""",
    """LOCK TABLE reviews_expertreview IN SHARE MODE""",
    """INSERT INTO reviews_total (status, total) SELECT status, count(*) FROM reviews_expertreview GROUP BY status""",
]

BACKWARD = [
    """DROP TRIGGER IF EXISTS reviews_total_insert ON reviews_expertreview""",
    """DROP TRIGGER IF EXISTS reviews_total_delete ON reviews_expertreview""",
    """DROP TRIGGER IF EXISTS reviews_total_update ON reviews_expertreview""",
    """DROP TRIGGER IF EXISTS reviews_total_truncate ON reviews_expertreview""",
    """DROP FUNCTION IF EXISTS reviews_total_insert()""",
    """DROP FUNCTION IF EXISTS reviews_total_delete()""",
    """DROP FUNCTION IF EXISTS reviews_total_update()""",
    """DROP FUNCTION IF EXISTS reviews_total_truncate()""",
    """DROP TABLE IF EXISTS reviews_total""",
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
    dependencies = [("reviews", "0005_list_page_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
