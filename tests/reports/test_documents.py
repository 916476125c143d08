"""The report as DOCX and PDF, the portfolio as XLSX: each is read back and must contain the
project's own data (title, department, sections, the budget execution table per sub-project)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def spent(building: Any, personas: Any) -> Any:
    """Spending recorded on the first sub-project of the estimate the budgets app keeps."""
    from egovpm.budgets.models import EstimateLine
    from egovpm.budgets.services import ExpenditureIn, expenditure_add

    line = EstimateLine.objects.filter(estimate__project=building).order_by("code").first()
    assert line is not None, "the budgets app's evidence hook records an estimate before approval"
    expenditure_add(
        actor=personas["staff_a"],
        project_id=building.pk,
        row=ExpenditureIn(
            line=line.code, spent_on=dt.date(2025, 5, 10), amount=Decimal("1234567.89"), voucher="记-001"
        ),
    )
    return line


def submit(api: Any, project: Any, period: str = "2025-H1") -> None:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/reports/{period}/submit",
        {"sections": SECTIONS, "submitted_at": "2025-07-28T10:00:00+08:00"},
        format="json",
    )
    assert r.status_code == 201, r.content


def docx_text(content: bytes) -> tuple[str, list[list[str]], Any]:
    from docx import Document

    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return text, tables, doc


def test_docx_is_an_official_document_with_the_projects_data(building: Any, spent: Any, api: Any) -> None:
    from docx.oxml.ns import qn

    submit(api, building)
    r = api("mof").get(f"/api/v1/projects/{building.pk}/reports/2025-H1/document")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in r["Content-Disposition"]
    text, rows, doc = docx_text(r.content)
    assert f"关于{building.name}2025年上半年建设情况的报告" in text
    assert "报送单位：甲部委" in text and "国家发展和改革委员会、财政部：" in text
    for heading in ("一、建设进度", "二、实施内容", "三、招标投标", "四、概预算执行", "五、存在的问题"):
        assert heading in text
    for section in SECTIONS.values():
        assert section in text
    assert "2025年7月28日" in text  # the submission's date
    assert building.code in text
    # the budget execution table: one row per sub-project, the spending in 万元, a total row
    assert rows[0][:3] == ["序号", "单项工程编码", "单项工程名称"]
    line_row = next(row for row in rows if row[1] == spent.code)
    assert line_row[2] == spent.name and line_row[5] == "123.46"
    assert rows[-1][2] == "合计"
    # East Asian font set on the runs (not only the Latin one)
    run = next(p for p in doc.paragraphs if "建设情况的报告" in p.text).runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_docx_of_an_unsubmitted_report_is_the_prefilled_draft(building: Any, api: Any) -> None:
    r = api("staff_a").get(f"/api/v1/projects/{building.pk}/reports/2025/document")
    text, _rows, _doc = docx_text(r.content)
    assert "草稿" in text and "2025年度建设情况的报告" in text
    assert "初步设计" in text  # progress pre-filled from the stage events


def test_submission_snapshots_the_budget_table(building: Any, spent: Any, api: Any, personas: Any) -> None:
    from egovpm.budgets.services import ExpenditureIn, expenditure_add

    submit(api, building)
    expenditure_add(
        actor=personas["staff_a"],
        project_id=building.pk,
        row=ExpenditureIn(line=spent.code, spent_on=dt.date(2025, 6, 1), amount=Decimal("1000000.00"), voucher="记-2"),
    )
    _text, rows, _doc = docx_text(api("ndrc").get(f"/api/v1/projects/{building.pk}/reports/2025-H1/document").content)
    assert next(row for row in rows if row[1] == spent.code)[5] == "123.46"  # as submitted, not as now


def test_pdf_renders_chinese_with_the_projects_data(building: Any, spent: Any, api: Any, tmp_path: Any) -> None:
    # fails rather than skips without poppler: `make system-deps` installs it (as root on Debian)
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    submit(api, building)
    r = api("ndrc").get(f"/api/v1/projects/{building.pk}/reports/2025-H1/document.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    flat = "".join(text.split())
    assert f"关于{building.name}2025年上半年建设情况的报告" in flat
    assert "四、概预算执行" in flat and SECTIONS["problems"].rstrip("。") in flat
    assert spent.name in flat and "123.46" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts  # embedded, so Chinese never renders as boxes


def test_pdf_without_weasyprint_is_a_clear_error(building: Any, api: Any, monkeypatch: Any) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("weasyprint"):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    r = api("ndrc").get(f"/api/v1/projects/{building.pk}/reports/2025-H1/document.pdf")
    assert r.status_code == 503
    assert r.json()["code"] == "pdf_unavailable" and "WeasyPrint" in r.json()["message"]


def test_portfolio_xlsx(building: Any, api: Any, personas: Any, other_project: Any) -> None:
    from openpyxl import load_workbook

    from .conftest import start_construction

    submit(api, building)  # 2025-H1 on time; the rest overdue or pending
    mob = {"staff_a": personas["staff_b"], "leader_a": personas["leader_b"], "ndrc": personas["ndrc"]}
    start_construction(other_project, mob, dt.date(2026, 2, 1))
    r = api("mof").get("/api/v1/reports/portfolio/export")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spre")
    wb = load_workbook(io.BytesIO(r.content))
    summary, details = wb["报送情况汇总"], wb["项目明细"]
    assert [c.value for c in summary[1]][:8] == [
        "部门",
        "部门代码",
        "报告期",
        "应报份数",
        "按时报送",
        "迟报",
        "逾期未报",
        "未到期",
    ]
    assert summary.freeze_panes == "A2" and details.freeze_panes == "A2"
    assert summary.column_dimensions["A"].width >= 20 and details.column_dimensions["C"].width >= 30
    rows = {(row[1], row[2]): row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert rows[("moa", "2025年上半年")][3:8] == (1, 1, 0, 0, 0)
    assert rows[("moa", "2025年度")][6] == 1  # overdue
    assert rows[("mob", "2026年度")][7] == 1  # pending
    names = {row[2] for row in details.iter_rows(min_row=2, values_only=True)}
    assert building.name in names and other_project.name in names
    statuses = {(row[1], row[3]): row[5] for row in details.iter_rows(min_row=2, values_only=True)}
    assert statuses[(building.code, "2025年上半年")] == "按时报送"
    assert statuses[(building.code, "2025年度")] == "逾期未报"
