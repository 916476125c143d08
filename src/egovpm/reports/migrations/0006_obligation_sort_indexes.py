"""The report drill-down sorted by due date or by project (ADR 0018): indexes so that a sorted page
of the national portfolio reads its rows in order instead of sorting every stored obligation."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_report_draft"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reportobligation",
            index=models.Index(fields=["due", "department_code", "project_code"], name="report_oblig_due"),
        ),
        migrations.AddIndex(
            model_name="reportobligation",
            index=models.Index(fields=["project_code", "period"], name="report_oblig_project"),
        ),
    ]
