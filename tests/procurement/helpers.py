"""Shared builders of the procurement tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from egovpm.procurement.xlsx import HEADER

GOOD_CODE = "91350100M000100Y43"  # the example of GB 32100-2015

BODY: dict[str, Any] = {
    "category": "basic_software",
    "method": "open_tender",
    "subject": "数据库管理系统",
    "amount": "1200000.00",
    "supplier": "示例软件有限公司",
    "supplier_credit_code": GOOD_CODE,
    "contract_no": "HT-2026-001",
    "contract_date": "2026-03-15",
    "secure_controllable": True,
    "secure_controllable_basis": "列入安全可靠测评结果名录",
}


def body(**overrides: Any) -> dict[str, Any]:
    return {**BODY, **overrides}


def url(project: Any, tail: str = "procurements") -> str:
    return f"/api/v1/projects/{project.pk}/{tail}"


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "procurements.xlsx"
    return buffer


GOOD_ROW = [
    "基础软件",
    "公开招标",
    "数据库",
    "1200000.00",
    "某公司",
    GOOD_CODE,
    "HT-1",
    "2026-03-15",
    "",
    "是",
    "名录",
    "",
]
