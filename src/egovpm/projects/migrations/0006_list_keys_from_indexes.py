"""A department's project list and its count read from indexes alone (issue 13, 100,000 projects).

- `project_newest_first` (created_at DESC, code) now INCLUDEs the lead department and the id
  (PostgreSQL; elsewhere Django creates it without them): a scoped page's keys — `lead = d OR id IN
  (participations)`, newest first — are an index-only scan that judges the scope on the entries,
  then the page's 50 rows are read by primary key (core.api.KeysetPagination `keys_first`). Before,
  PostgreSQL read the heap row of every project it skipped (1,600 for a department's first page).
- `project_lead_id` (lead_department, id): the ids of a department's projects without a heap read
  (selectors.project_list_count counts a scope as the UNION of its conditions' ids). Created with
  IF NOT EXISTS: a database where it was made by hand while measuring keeps its index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_list_sort_name_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="project", name="project_newest_first"),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True),
                models.F("code"),
                include=("lead_department", "id"),
                name="project_newest_first",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="project",
                    index=models.Index(fields=["lead_department", "id"], name="project_lead_id"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'CREATE INDEX IF NOT EXISTS "project_lead_id" ON "projects_project" ("lead_department_id", "id")',
                    'DROP INDEX IF EXISTS "project_lead_id"',
                ),
            ],
        ),
    ]
