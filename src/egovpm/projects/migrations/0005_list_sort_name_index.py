# The list page's sort by name (selectors.LIST_SORTS, ADR 0018): ORDER BY name, code from an index.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_stage_event_by_actor"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["name", "code"], name="project_name_code"),
        ),
    ]
