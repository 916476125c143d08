"""Number each project's expert panels 1, 2, … in the order they were formed (the rules judge the
latest panel; formation instants can tie). Existing panels are numbered by formation instant, then
by conclusion instant (a concluded panel precedes the one formed after it), then by id."""

from typing import Any

from django.conf import settings
from django.db import migrations, models


def number_existing(apps: Any, schema_editor: Any) -> None:
    ExpertReview = apps.get_model("reviews", "ExpertReview")
    last: dict[Any, int] = {}
    rows = ExpertReview.objects.order_by("project_id", "formed_at", "concluded_at", "id")
    for review in rows.only("id", "project_id").iterator():
        last[review.project_id] = last.get(review.project_id, 0) + 1
        if last[review.project_id] > 1:
            ExpertReview.objects.filter(pk=review.pk).update(number=last[review.project_id])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_project_total"),
        ("reviews", "0003_list_and_todo_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="expertreview",
            name="number",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="expertreview",
            constraint=models.UniqueConstraint(fields=("project", "number"), name="review_number_once_per_project"),
        ),
    ]
