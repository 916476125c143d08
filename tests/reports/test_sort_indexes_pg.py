"""The report drill-down at national scale (ADR 0015, ADR 0018): a page of the whole portfolio
sorted by any of its columns reads the stored obligations through an index in that order — never a
sort of every row. PostgreSQL's planner is what serves production, so the plan is read there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from conftest import make_project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 20000


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the query plan at scale is PostgreSQL's (run in the PostgreSQL pass)")


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("", "report_oblig_drill"),
        ("department", "report_oblig_drill"),
        ("-department", "report_oblig_drill"),
        ("period", "report_oblig_period"),
        ("due", "report_oblig_due"),
        ("-due", "report_oblig_due"),
        ("project", "report_oblig_project"),
        ("status", "report_oblig_status_due"),
    ],
)
def test_a_sorted_page_of_the_whole_portfolio_reads_an_index(sort: str, index: str, personas: dict[str, Any]) -> None:
    from egovpm.reports import selectors
    from egovpm.reports.models import ReportObligation

    project = make_project(personas["staff_a"])
    day = dt.date(2020, 1, 31)
    ReportObligation.objects.bulk_create(
        [
            ReportObligation(
                project=project,
                department=project.lead_department,
                department_code=f"d{i % 90:03d}",
                project_code=f"2026-{i:07d}",
                period=f"P{i:06d}",
                due=day + dt.timedelta(days=i % 3000),
                status="pending",
                bucket="pending",
                computed_on=day,
            )
            for i in range(ROWS)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_reportobligation")
    qs = selectors._drill_sorted(selectors._drill_rows(personas["ndrc"], "", "", ""), sort)
    plan = qs[:50].explain()
    assert index in plan and "Seq Scan" not in plan, plan


def test_a_departments_own_list_and_its_inbox_read_their_index(personas: dict[str, Any]) -> None:
    """The department's 建设情况报告 (newest due first) and its 待办 (earliest due first, with the
    count) read one department's rows through report_oblig_own: at national scale the due-order
    index of every department walked thousands of other departments' rows (200 ms at 100,000)."""
    from egovpm.accounts.models import Department
    from egovpm.reports import selectors
    from egovpm.reports.models import ReportObligation

    project = make_project(personas["staff_a"])
    own = project.lead_department
    others = [Department.objects.create(code=f"x{i:02d}", name=f"部门{i}", kind=own.kind) for i in range(30)]
    day = dt.date(2020, 1, 31)
    ReportObligation.objects.bulk_create(
        [
            ReportObligation(
                project=project,
                department=own if i % 31 == 0 else others[i % 30],
                department_code="d",
                project_code=f"2026-{i:07d}",
                period=f"P{i:06d}",
                due=day + dt.timedelta(days=i % 3000),
                status=("pending", "overdue", "on_time")[i % 3],
                bucket="pending",
                computed_on=day,
            )
            for i in range(ROWS)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_reportobligation")
    rows = ReportObligation.objects.filter(department_id=own.pk).order_by(*selectors.OWN_ORDER)
    plan = rows[:50].explain()
    assert "report_oblig_own" in plan and "Seq Scan" not in plan, plan
    inbox = ReportObligation.objects.filter(department_id=own.pk, status__in=("overdue", "returned"))
    plan = inbox.order_by("due", "project_code", "period")[:20].explain()
    assert "report_oblig_own" in plan and "Seq Scan" not in plan, plan
