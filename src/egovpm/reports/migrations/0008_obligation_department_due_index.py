from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_obligation_bucket_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reportobligation",
            index=models.Index(
                fields=["department", "due", "project_code", "period"], include=["status"], name="report_oblig_own"
            ),
        ),
    ]
