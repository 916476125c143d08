"""The review lists' pages from indexes: newest first with the id (a page's ids read from the index
alone), and a department's reviews by project, newest first (selectors.Paged)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_review_number"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="expertreview",
            name="review_formed",
        ),
        migrations.AddIndex(
            model_name="expertreview",
            index=models.Index(fields=["-formed_at", "id"], name="review_formed_id"),
        ),
        migrations.AddIndex(
            model_name="expertreview",
            index=models.Index(fields=["project", "-formed_at", "id"], name="review_project_formed"),
        ),
    ]
