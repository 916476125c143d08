"""The index report_self_assessed on reports_reportsubmission (self_assessment, project_id), only
over the reports that carry a self-assessment: the cockpit's "红灯但自评正常" figure
(portfolio.selectors._today_disagreements) looks up the latest self-assessment of the projects
having an on-track one, found here, instead of each red or amber project's reports in turn
(72,593 of them at 100,000 projects: 0.9 s a count and 1.3 s the list, now a few ms). Without it
PostgreSQL scans the 194 MB of reports for the few that are self-assessed. Plain SQL (the index
belongs to no model of this app; partial indexes are the same on SQLite and PostgreSQL); IF NOT
EXISTS as the reports app may come to declare the same index."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_report_self_assessment")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS report_self_assessed ON reports_reportsubmission (self_assessment, project_id)"
            " WHERE self_assessment <> ''",
            reverse_sql="DROP INDEX IF EXISTS report_self_assessed",
        ),
    ]
