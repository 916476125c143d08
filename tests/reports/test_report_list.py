"""The 建设情况报告 lists (issue 15 item 5, issue 10 item 5): the recipients' drill-down and the
department's own list sort by their columns, filter through the one FilterSet the API shares
(reports/filters.py), export what they show, and cost the same queries at 2 rows and at 20."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_project
from list_pages import export_rows
from list_pages import signed_in as login

from .conftest import SECTIONS, start_construction

pytestmark = pytest.mark.django_db

HOME = reverse("web:report_home")
EXPORT = reverse("web:report_portfolio_export")


@pytest.fixture
def two(personas: dict[str, Any]) -> list[Any]:
    """moa's two projects in construction: 甲 since March 2025 (owes 2025-H1 … 2026: four reports,
    2025-H1 submitted late), 乙 since March 2026 (owes 2026-H1 and 2026)."""
    a = start_construction(make_project(personas["staff_a"], name="甲 门户"), personas, dt.date(2025, 3, 1))
    b = start_construction(make_project(personas["staff_a"], name="乙 平台"), personas, dt.date(2026, 3, 1))
    url = reverse("web:report_submit", kwargs={"pk": a.pk, "period": "2025-H1"})
    form = {**SECTIONS, "confirm": "on", "self_assessment": "on_track"}
    assert login("staff_a").post(url, form).status_code == 302
    return [a, b]


def detail_rows(client: Client, params: dict[str, str]) -> list[tuple[Any, ...]]:
    """The 项目明细 sheet (header first) of the portfolio export with `params`."""
    from openpyxl import load_workbook

    r = client.get(EXPORT, params)
    assert r.status_code == 200, r.content[:300]
    return list(load_workbook(io.BytesIO(r.content), read_only=True)["项目明细"].iter_rows(values_only=True))


def drill_codes(html: str, codes: list[str]) -> list[str]:
    """`codes` in the order the drill-down table shows them."""
    table = html[html.index('id="report-drill"') :]
    return sorted(codes, key=table.index)


def test_the_drill_down_sorts_by_a_column_on_the_page_and_in_the_export(two: list[Any]) -> None:
    ndrc = login("ndrc")
    codes = [p.code for p in two]
    up = drill_codes(ndrc.get(HOME, {"department": "moa", "sort": "project"}).content.decode(), codes)
    down = drill_codes(ndrc.get(HOME, {"department": "moa", "sort": "-project"}).content.decode(), codes)
    assert up == sorted(codes) and down == sorted(codes, reverse=True)
    html = ndrc.get(HOME, {"department": "moa", "sort": "-project"}).content.decode()
    assert 'aria-sort="descending"' in html

    rows = detail_rows(ndrc, {"department": "moa", "sort": "due"})[1:]
    dues = [r[4] for r in rows]
    assert len(rows) == 6 and dues == sorted(dues)  # 4 + 2 obligations, earliest due first
    rows = detail_rows(ndrc, {"department": "moa", "sort": "-project"})[1:]
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    assert ndrc.get(HOME, {"department": "moa", "sort": "pk;drop"}).status_code == 200  # ignored


def test_the_status_filter_narrows_page_export_and_api_alike(two: list[Any], api: Any) -> None:
    ndrc = login("ndrc")
    html = ndrc.get(HOME, {"status": "submitted_late"}).content.decode()
    table = html[html.index('id="report-drill"') :]
    assert two[0].code in table and two[1].code not in table
    rows = detail_rows(ndrc, {"status": "submitted_late"})[1:]
    assert [(r[1], r[3]) for r in rows] == [(two[0].code, "2025年上半年")]
    body = api("ndrc").get("/api/v1/reports/portfolio", {"status": "submitted_late"}).json()
    assert body["count"] == 1 and [r["project_code"] for r in body["results"]] == [two[0].code]
    assert body["totals"]["total"] == 6  # the matrix counts the whole scope, as before
    sorted_api = api("ndrc").get("/api/v1/reports/portfolio", {"department": "moa", "sort": "-due"}).json()
    dues = [r["due_date"] for r in sorted_api["results"]]
    assert len(dues) == 6 and dues == sorted(dues, reverse=True)


def test_a_refused_filter_value_is_a_400_naming_the_field(two: list[Any], api: Any) -> None:
    ndrc = login("ndrc")
    r = ndrc.get(HOME, {"status": "nonsense"})
    assert r.status_code == 400 and "status" in r.content.decode()
    r = ndrc.get(HOME, {"period": "2025-H9"})
    assert r.status_code == 400 and "period" in r.content.decode()
    assert ndrc.get(EXPORT, {"status": "nonsense"}).status_code == 400
    assert login("staff_a").get(HOME, {"status": "nonsense"}).status_code == 400
    body = api("ndrc").get("/api/v1/reports/portfolio", {"status": "nonsense"}).json()
    assert "status" in body["details"]
    body = api("ndrc").get("/api/v1/reports/portfolio", {"period": "2025-H9"}).json()
    assert body["code"] == "invalid" and "period" in body["details"]


def test_the_department_list_sorts_filters_and_exports_its_own_rows_only(two: list[Any]) -> None:
    staff = login("staff_a")
    codes = [p.code for p in two]
    html = staff.get(HOME, {"sort": "project"}).content.decode()
    assert drill_codes(html, codes) == sorted(codes)
    rows = export_rows(staff, HOME, {"sort": "-due"})
    assert len(rows) == 7 and [r[4] for r in rows[1:]] == sorted((r[4] for r in rows[1:]), reverse=True)
    narrowed = export_rows(staff, HOME, {"period": "2026-H1"})[1:]
    assert sorted(r[2] for r in narrowed) == sorted(codes)
    assert [r[2] for r in export_rows(staff, HOME, {"status": "submitted_late"})[1:]] == [two[0].code]

    other = login("staff_b")
    assert all(c not in other.get(HOME).content.decode() for c in codes)
    assert export_rows(other, HOME, {}) == [rows[0]]  # the header, none of moa's rows
    assert other.get(EXPORT).status_code == 403


def test_the_sorted_lists_cost_the_same_queries_at_2_rows_and_at_20(personas: dict[str, Any]) -> None:
    """2 rows: a project in construction since March 2026; 20 and more: one since March 2017 added
    (2017-H1 … 2026: 20 reports)."""
    pages = {
        "ndrc": (HOME, {"department": "moa", "sort": "-due"}),
        "staff_a": (HOME, {"sort": "period", "status": "overdue"}),
    }
    counts: dict[str, list[int]] = {who: [] for who in pages}
    rows: list[int] = []
    start_construction(make_project(personas["staff_a"], name="新项目"), personas, dt.date(2026, 3, 1))
    for grow in (False, True):
        if grow:
            start_construction(make_project(personas["staff_a"], name="老项目"), personas, dt.date(2017, 3, 1))
        for who, (url, params) in pages.items():
            client = login(who)
            client.get(url, params)  # warm-up: the new project's obligations are stored
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
            counts[who].append(len(ctx.captured_queries))
        from egovpm.reports.models import ReportObligation

        rows.append(ReportObligation.objects.filter(department__code="moa").count())
    assert rows[0] == 2 and rows[1] >= 20, rows
    assert all(small == large for small, large in counts.values()), counts
