"""Issue 9 item 2: every XLSX and CSV export writes user text that starts like a formula (`=`, `+`,
`-`, `@`, tab, CR) as text — read back with openpyxl, the cell is a string cell holding exactly the
text typed, never a live formula that NDRC's or MoF's spreadsheet would run."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, advance, make_project, ready_for
from egovpm.core.exports import csv_cell, xlsx_append

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
LINE_NAME = "=1+2"  # an estimate sub-project name that would be computed as 3
OTHERS = ["+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


def cells_holding(workbook_bytes: bytes, text: str) -> list[Any]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook_bytes))
    return [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None and text in str(c.value)
    ]


def assert_text(workbook_bytes: bytes, text: str) -> None:
    found = cells_holding(workbook_bytes, text)
    assert found, f"{text!r} is not in the workbook"
    for cell in found:
        assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)
    assert any(c.value == text for c in found), [c.value for c in found]


@pytest.fixture
def formula_project(personas: dict[str, Any]) -> Any:
    """moa's project named like a formula, in construction since 2025, with an estimate line named
    like a formula too."""
    from egovpm.budgets.services import LineIn, estimate_put

    p = make_project(personas["staff_a"], name=FORMULA)
    p = advance(p, personas, "preliminary_design", start=dt.date(2024, 9, 1))
    estimate_put(
        actor=personas["staff_a"],
        project_id=p.pk,
        total=Decimal("1000.00"),
        items=[LineIn("01", LINE_NAME, Decimal("600.00")), LineIn("02", "@平台", Decimal("400.00"))],
    )
    from egovpm.projects.services import project_transition

    day = dt.date(2025, 1, 10)
    ready_for(p, "approve_preliminary_design", day)
    return project_transition(
        actor=personas["ndrc"],
        project_id=p.pk,
        action="approve_preliminary_design",
        effective_date=day,
        approval_reference="发改高技〔2025〕1号",
    )


def test_the_shared_helpers() -> None:
    from openpyxl import Workbook

    assert [csv_cell(v) for v in [FORMULA, *OTHERS, "正常", None, 3, {"a": "=1"}]] == [
        "'" + FORMULA,
        *("'" + v for v in OTHERS),
        "正常",
        "",
        "3",
        '{"a": "=1"}',
    ]
    wb = Workbook()
    xlsx_append(wb.active, [FORMULA, *OTHERS, 7])
    buffer = io.BytesIO()
    wb.save(buffer)
    for text in [FORMULA, *OTHERS]:
        assert_text(buffer.getvalue(), text)


def test_reports_portfolio_xlsx_api_and_page(formula_project: Any, api: Any) -> None:
    r = api("ndrc").get("/api/v1/reports/portfolio/export")
    assert r.status_code == 200
    assert_text(r.content, FORMULA)
    c = Client()
    assert c.login(username="mof", password=PASSWORD)
    page = c.get(reverse("web:report_portfolio_export"))
    assert page.status_code == 200
    assert_text(page.content, FORMULA)


def test_budgets_import_template(formula_project: Any) -> None:
    c = Client()
    assert c.login(username="staff_a", password=PASSWORD)
    r = c.get(reverse("web:budgets_import_template", kwargs={"pk": formula_project.pk}))
    assert r.status_code == 200
    assert_text(r.content, LINE_NAME)
    assert_text(r.content, "@平台")


def test_archive_catalogue_xlsx(formula_project: Any, api: Any, tmp_path: Path) -> None:
    r = api("staff_a").post(
        f"/api/v1/projects/{formula_project.pk}/documents",
        {
            "file": SimpleUploadedFile("c.pdf", b"%PDF contract"),
            "stage": "construction",
            "category": "contract",
            "title": "-2+3",
        },
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    assert api("staff_a").post(f"/api/v1/documents/{r.json()['id']}/archive").status_code == 200
    package = api("staff_a").get(f"/api/v1/projects/{formula_project.pk}/archive-package")
    assert package.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content))) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith("data/catalogue.xlsx")]
        data = zf.read(name)
    assert_text(data, "-2+3")
    # the title row names the project: still text, starting with the project's name
    (title,) = [c for c in cells_holding(data, FORMULA) if c.row == 1]
    assert title.data_type == "s" and title.value.startswith(FORMULA)
