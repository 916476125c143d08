"""Reads that must not grow with the rows: the project's inspections (API), the rectifications as
of a date (API), the project tab, the cockpit figure and the department seam; and what the
figure and the seam answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.inspections.conftest import add_finding

from conftest import NOW

pytestmark = pytest.mark.django_db


def _inspection_with_items(clock: Any, project: Any, personas: dict[str, Any], n: int) -> Any:
    from egovpm.inspections.models import RectificationItem
    from egovpm.inspections.services import inspection_issue, inspection_open, rectification_answer

    inspection = inspection_open(
        actor=personas["ndrc"],
        project_id=project.pk,
        kind="audit",
        scope=["progress"],
        inspectors=["inspector_assigned"],
        started_on="2026-06-01",
    )
    for i in range(n):
        add_finding(inspection, personas["inspector_assigned"], due_date=f"2026-07-{i + 1:02d}")
    clock.set_now(dt.datetime(2026, 6, 10, 2, tzinfo=dt.UTC))
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=inspection.pk, ended_on="2026-06-10")
    clock.set_now(NOW)
    for item in RectificationItem.objects.filter(finding__inspection=inspection).order_by("due_date")[: n // 2]:
        rectification_answer(actor=personas["staff_a"], item_id=item.pk, text="已整改", answered_on="2026-06-20")
    return inspection


def _count(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("what", ["list", "rectifications", "tab", "figure", "department"])
def test_queries_do_not_grow_with_rows(what: str, clock: Any, api: Any, project: Any, personas: dict[str, Any]) -> None:
    from egovpm.accounts.models import Department
    from egovpm.inspections.selectors import department_items, rectification_figures
    from egovpm.projects.models import Project

    client = api("ndrc")
    web = Client()
    web.force_login(personas["ndrc"])
    calls = {
        "list": lambda: client.get(reverse("api:inspections", kwargs={"project_id": project.pk})),
        "rectifications": lambda: client.get(
            reverse("api:rectifications", kwargs={"project_id": project.pk}), {"as_of": "2026-07-15"}
        ),
        "tab": lambda: web.get(reverse("web:project_inspections", kwargs={"pk": project.pk})),
        "figure": lambda: rectification_figures(Project.objects.all(), dt.date(2026, 7, 15), False),
        "department": lambda: department_items(Department.objects.get(code="moa"), dt.date(2026, 7, 15)),
    }
    _inspection_with_items(clock, project, personas, 2)
    calls[what]()  # warm caches (the pack, the session)
    few = _count(calls[what])
    _inspection_with_items(clock, project, personas, 6)
    calls[what]()  # warm again: the change made a new generation (the project's facts are read anew once)
    many = _count(calls[what])
    assert many == few, (what, few, many)
    # pinned (the tab also runs the whole compliance report, whose count belongs to every fact
    # provider: only its flatness is checked here)
    # the lists computed afresh read the records' stamp of their kept JSON too (ADR 0020)
    pinned = {"list": 9, "rectifications": 5, "figure": 1, "department": 3}
    if what in pinned:
        assert few == pinned[what], (what, few)


def test_the_figure_and_the_department_seam_as_of_a_date(clock: Any, project: Any, personas: dict[str, Any]) -> None:
    from egovpm.accounts.models import Department
    from egovpm.inspections.selectors import department_items, rectification_figures
    from egovpm.projects.models import Project

    _inspection_with_items(clock, project, personas, 4)  # due 1–4 July; those due 1 and 2 July answered 20 June
    projects = Project.objects.all()
    assert rectification_figures(projects, dt.date(2026, 6, 9), False) == {"open": 0, "overdue": 0}  # not issued
    assert rectification_figures(projects, dt.date(2026, 6, 15), False) == {"open": 4, "overdue": 0}
    assert rectification_figures(projects, dt.date(2026, 7, 3), False) == {"open": 4, "overdue": 0}
    assert rectification_figures(projects, dt.date(2026, 7, 4), False) == {"open": 4, "overdue": 1}
    assert rectification_figures(projects, dt.date(2026, 7, 5), True) == {"open": 4, "overdue": 2}
    assert rectification_figures(Project.objects.none(), dt.date(2026, 7, 5), True) == {"open": 0, "overdue": 0}
    seam = department_items(Department.objects.get(code="moa"), dt.date(2026, 7, 5))
    assert seam["open"] == 4
    assert [(o["finding"], o["due_date"]) for o in seam["overdue"]] == [
        (3, dt.date(2026, 7, 3)),
        (4, dt.date(2026, 7, 4)),
    ]
    assert department_items(Department.objects.get(code="mob"), dt.date(2026, 7, 5)) == {"open": 0, "overdue": []}
