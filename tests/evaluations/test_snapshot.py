"""The approved-goals snapshot: written when the preliminary design is approved, never moved by
later edits; the migration's approximate snapshot for projects approved before the app; the
conclusions seam."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from .conftest import body

pytestmark = pytest.mark.django_db


def test_written_at_the_approval_and_immune_to_edits(project: Any, personas: Any) -> None:
    from conftest import advance
    from egovpm.evaluations.models import ApprovedGoals
    from egovpm.projects.models import Project

    Project.objects.filter(pk=project.pk).update(construction_goals="目标一\n目标二")
    advance(Project.objects.get(pk=project.pk), personas, "construction")
    Project.objects.filter(pk=project.pk).update(construction_goals="改过的目标")
    snapshot = ApprovedGoals.objects.get()
    assert snapshot.goals == ["目标一", "目标二"] and not snapshot.approximate
    assert snapshot.event.action == "approve_preliminary_design"


def test_migration_snapshots_projects_already_approved(project: Any, personas: Any) -> None:
    from django.apps import apps

    from conftest import advance
    from egovpm.evaluations.models import ApprovedGoals

    project = advance(project, personas, "construction")
    ApprovedGoals.objects.all().delete()  # as before the app existed
    migration = importlib.import_module("egovpm.evaluations.migrations.0002_snapshot_existing_goals")
    migration.snapshot(apps, None)
    migration.snapshot(apps, None)  # once per approval
    snapshot = ApprovedGoals.objects.get()
    assert snapshot.approximate and snapshot.goals == ["建成统一平台"]


def test_conclusions_for_in_one_query(
    operating: Any, report: Any, personas: Any, other_project: Any, django_assert_num_queries: Any
) -> None:
    import datetime as dt

    from egovpm.evaluations.selectors import conclusions_for
    from egovpm.evaluations.services import post_evaluation_add

    post_evaluation_add(actor=personas["ndrc"], project_id=operating.pk, **body(report))
    with django_assert_num_queries(1):
        rows = conclusions_for([operating, other_project])
    assert rows == [
        {
            "project": operating,
            "evaluated_on": dt.date(2026, 11, 10),
            "conclusion": "mostly_successful",
            "efficiency": 85,
            "effect": 78,
        }
    ]
