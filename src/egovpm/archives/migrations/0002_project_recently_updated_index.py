"""The index project_recently_updated on projects_project (updated_at DESC, code): the 档案 page
lists the user's projects most recently changed first (archives.views.ARCHIVE_ORDER); without it
PostgreSQL sorts all 100,000 projects for each page (120-240 ms), with it reads the first rows of
the index. Plain SQL (the index belongs to no model of this app), the same on SQLite and
PostgreSQL; IF NOT EXISTS as the projects app may come to declare the same index."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0001_acceptances_completion"),
        ("projects", "0005_list_sort_name_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS project_recently_updated ON projects_project (updated_at DESC, code)",
            reverse_sql="DROP INDEX IF EXISTS project_recently_updated",
        ),
    ]
