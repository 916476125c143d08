"""The 采购 register on the project tab (issue 15 item 5, ADR 0018): sorted by its headers,
filtered by category (a refused category is a 400 naming it), exported to XLSX with exactly the rows
and order the tab shows; another department's project is a 404, page and export alike; the same
queries at 2 rows and at 20."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from list_pages import export_rows
from list_pages import signed_in as login

from .helpers import body

pytestmark = pytest.mark.django_db

# the sorted, filtered page (totals and shares in one query; and the records' stamp of the kept tab,
# ADR 0020), the same at 2 rows and at 20
QUERIES = 17


def tab(project: Any) -> str:
    return f"/projects/{project.pk}/procurement/"


def record(personas: dict[str, Any], project: Any, **overrides: Any) -> Any:
    from egovpm.procurement.services import procurement_create

    return procurement_create(actor=personas["staff_a"], project_id=project.pk, data=body(**overrides))


@pytest.fixture
def register(personas: dict[str, Any], project: Any) -> list[Any]:
    return [
        record(personas, project, subject="乙 数据库", amount="300.00", contract_date="2026-03-01"),
        record(personas, project, subject='甲 =HYPERLINK("x")', amount="1000.00", contract_date="2026-01-01"),
        record(personas, project, subject="丙 服务器", amount="20.50", category="other", contract_date="2026-02-01"),
    ]


def subjects(html: str) -> list[str]:
    table = html.split('id="procurements"')[1].split("</table>")[0] if 'id="procurements"' in html else ""
    return [s.replace("&quot;", '"') for s in re.findall(r"<tr>\s*<td>([^<]+)", table)]


def test_sorted_by_a_header_both_ways(register: list[Any], project: Any) -> None:
    staff = login("staff_a")
    by_contract = ['甲 =HYPERLINK("x")', "丙 服务器", "乙 数据库"]
    assert subjects(staff.get(tab(project)).content.decode()) == by_contract  # the register's order
    assert subjects(staff.get(tab(project), {"sort": "amount"}).content.decode()) == [
        "丙 服务器",
        "乙 数据库",
        '甲 =HYPERLINK("x")',
    ]
    html = staff.get(tab(project), {"sort": "-contract"}).content.decode()
    assert subjects(html) == by_contract[::-1]
    assert 'aria-sort="descending"' in html
    assert staff.get(tab(project), {"sort": "evidence__content"}).status_code == 200


def test_the_category_filter_narrows_the_tab_and_the_export(register: list[Any], project: Any) -> None:
    staff = login("staff_a")
    html = staff.get(tab(project), {"category": "basic_software", "sort": "-amount"}).content.decode()
    assert subjects(html) == ['甲 =HYPERLINK("x")', "乙 数据库"]
    assert "?category=basic_software&amp;sort=-amount&amp;export=xlsx" in html
    rows = export_rows(staff, tab(project), {"category": "basic_software", "sort": "-amount"})
    assert [r[0] for r in rows[1:]] == ['甲 =HYPERLINK("x")', "乙 数据库"]  # text, never a formula
    assert [Decimal(str(r[4])) for r in rows[1:]] == [Decimal("1000"), Decimal("300")]
    assert rows[1][2] == "基础软件" and rows[1][9] == "是"
    assert [r[0] for r in export_rows(staff, tab(project), {"category": "other"})[1:]] == ["丙 服务器"]
    refused = staff.get(tab(project), {"category": "furniture"})
    assert refused.status_code == 400 and b"category" in refused.content


def test_another_department_reads_neither_the_register_nor_its_export(register: list[Any], project: Any) -> None:
    other = login("staff_b")
    assert other.get(tab(project)).status_code == 404
    assert other.get(tab(project), {"export": "xlsx"}).status_code == 404


def test_the_sorted_register_costs_the_same_queries_at_2_rows_and_at_20(personas: dict[str, Any], project: Any) -> None:
    staff = login("staff_a")
    counts = []
    for n in (2, 20):
        while len(subjects(staff.get(tab(project)).content.decode())) < n:
            record(personas, project, subject=f"设备{n}")
        staff.get(tab(project), {"sort": "-supplier", "category": "basic_software"})
        with CaptureQueriesContext(connection) as ctx:
            html = staff.get(tab(project), {"sort": "-supplier", "category": "basic_software"}).content.decode()
        assert len(subjects(html)) == n
        counts.append(len(ctx.captured_queries))
    assert counts == [QUERIES, QUERIES], counts
