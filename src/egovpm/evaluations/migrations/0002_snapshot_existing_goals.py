"""Projects that passed approve_preliminary_design before this app existed get an approved-goals
snapshot from their goals of today, flagged `approximate`: the goals at the approval itself were
not kept (docs/evaluations.md)."""

from django.db import migrations


def snapshot(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    StageEvent = apps.get_model("projects", "StageEvent")
    ApprovedGoals = apps.get_model("evaluations", "ApprovedGoals")
    done = set(ApprovedGoals.objects.values_list("event_id", flat=True))
    rows = []
    for event in (
        StageEvent.objects.filter(action="approve_preliminary_design").select_related("project").order_by("pk")
    ):
        if event.pk in done:
            continue
        goals = [line.strip() for line in (event.project.construction_goals or "").splitlines() if line.strip()]
        rows.append(
            ApprovedGoals(project_id=event.project_id, event=event, goals=goals, approximate=True, recorded_at=event.at)
        )
    ApprovedGoals.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(snapshot, migrations.RunPython.noop)]
