"""The procurement register's XLSX import and template (domain.md §11.1; docs/procurement.md).

Reading is bounded before and while it happens, so a hostile or careless file costs little CPU:
the upload's size (MAX_BYTES) and the workbook's unpacked size (MAX_UNPACKED) are checked before
openpyxl parses anything; the first sheet is streamed (read_only) over at most MAX_COLUMNS
columns; reading stops at the first non-blank row beyond MAX_ROWS, at MAX_CELLS cells looked at
(blank rows included) and after MAX_SECONDS. Blank rows do not count toward MAX_ROWS.

Cells: category and method by their code or their Chinese or English label; amounts as text
("1200000.00") or numbers taken by their shortest decimal form (budgets.xlsx); dates as date
cells or YYYY-MM-DD text; 自主可控 as a boolean cell, 是/否 or true/false. Parsing only — the
services validate each row (services.clean) and report every error of every bad row."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from egovpm.budgets.xlsx import DateWithTime, cell_amount, cell_date
from egovpm.core.errors import FieldError, InvalidInput
from egovpm.core.exports import xlsx_append
from egovpm.procurement.choices import Category, Method
from egovpm.procurement.errors import ProcurementError
from egovpm.procurement.services import REQUIRED

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 20 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 30
MAX_CELLS = 200_000
MAX_SECONDS = 10.0

# field → (template header, other accepted headers…)
COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("采购类别", "category"),
    "method": ("采购方式", "method"),
    "subject": ("标的", "subject"),
    "amount": ("合同金额（元）", "合同金额(元)", "金额（元）", "amount"),
    "supplier": ("供应商", "supplier"),
    "supplier_credit_code": ("统一社会信用代码", "supplier_credit_code"),
    "contract_no": ("合同编号", "contract_no"),
    "contract_date": ("合同日期", "contract_date"),
    "estimate_line": ("单项工程编码", "estimate_line"),
    "secure_controllable": ("自主可控", "secure_controllable"),
    "secure_controllable_basis": ("自主可控依据", "secure_controllable_basis"),
    "non_tender_reason": ("未招标理由", "non_tender_reason"),
}
REQUIRED_COLUMNS = tuple(name for name in REQUIRED if name != "secure_controllable")  # 自主可控 blank = 否
HEADER = [aliases[0] for aliases in COLUMNS.values()]
TRUE = {"是", "true", "yes", "y", "1"}
FALSE = {"否", "false", "no", "n", "0", ""}


def _labels(choices: type[Category] | type[Method]) -> dict[str, str]:
    """code, Chinese label and English label → code."""
    out: dict[str, str] = {}
    for value, label in choices.choices:
        out[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                out[str(label)] = value
    return out


def _refuse(code: ProcurementError, params: dict[str, Any] | None = None) -> InvalidInput:
    return InvalidInput(code, params, fields={"file": FieldError(code, params or {})})


def _check_size(upload: Any) -> None:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise _refuse(ProcurementError.FILE_TOO_LARGE, {"limit": MAX_BYTES})
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(ProcurementError.FILE_NOT_XLSX) from None
    if unpacked > MAX_UNPACKED:
        raise _refuse(ProcurementError.FILE_TOO_LARGE, {"limit": MAX_BYTES})
    upload.seek(0)


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value  # refused by services.clean as not text


def _row(
    values: tuple[Any, ...], index: dict[str, int], labels: dict[str, dict[str, str]]
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """One row's values for services.clean, and the errors of reading its cells."""
    data: dict[str, Any] = {"secure_controllable": False}  # no 自主可控 column: 否
    errors: dict[str, FieldError] = {}
    for name, i in index.items():
        raw = values[i] if i < len(values) else None
        if name in ("category", "method"):
            text = _text(raw)
            data[name] = labels[name].get(text, text) if isinstance(text, str) else text
        elif name == "amount":
            try:
                data[name] = f"{cell_amount(raw):.2f}"
            except ValueError:
                errors[name] = FieldError(ProcurementError.AMOUNT)
        elif name == "contract_date":
            try:
                data[name] = cell_date(raw)
            except DateWithTime:
                errors[name] = FieldError(ProcurementError.DATE_WITHOUT_TIME)
            except ValueError:
                data[name] = raw if isinstance(raw, str) else "?"  # services.clean names the error
        elif name == "secure_controllable":
            if isinstance(raw, bool):
                data[name] = raw
            else:
                text = str(_text(raw)).lower()
                if text in TRUE:
                    data[name] = True
                elif text in FALSE:
                    data[name] = False
                else:
                    errors[name] = FieldError(ProcurementError.NOT_BOOLEAN)
        else:
            data[name] = _text(raw)
    return data, errors


def read_procurements(upload: Any) -> list[tuple[int, dict[str, Any], dict[str, FieldError]]]:
    """The file's non-blank data rows as (row number, values, errors of reading the cells)."""
    _check_size(upload)
    deadline = time.monotonic() + MAX_SECONDS
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many types for a file that is not XLSX
        raise _refuse(ProcurementError.FILE_NOT_XLSX) from None
    try:
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = next(rows, None)
        names = [str(h).strip() if h is not None else "" for h in (header or ())]
        index: dict[str, int] = {}
        for key, aliases in COLUMNS.items():
            for i, name in enumerate(names):
                if name in aliases:
                    index[key] = i
                    break
        if any(key not in index for key in REQUIRED_COLUMNS):
            raise _refuse(ProcurementError.HEADER, {"columns": "、".join(HEADER)})
        labels = {"category": _labels(Category), "method": _labels(Method)}
        out: list[tuple[int, dict[str, Any], dict[str, FieldError]]] = []
        cells = 0
        for number, values in enumerate(rows, start=2):
            cells += len(values)
            if cells > MAX_CELLS:
                raise _refuse(ProcurementError.TOO_MANY_CELLS, {"limit": MAX_CELLS})
            if time.monotonic() > deadline:
                raise _refuse(ProcurementError.TOO_SLOW)
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(out) >= MAX_ROWS:
                raise _refuse(ProcurementError.TOO_MANY_ROWS, {"limit": MAX_ROWS})
            data, errors = _row(values, index, labels)
            out.append((number, data, errors))
    except InvalidInput:
        raise
    except Exception:  # a damaged sheet inside a valid zip
        raise _refuse(ProcurementError.FILE_NOT_XLSX) from None
    finally:
        workbook.close()
    return out


def template() -> bytes:
    """The import template: the header, one example row and drop-down lists for category, method
    and 自主可控 (Chinese labels; codes are accepted too)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "采购"
    xlsx_append(sheet, HEADER)
    with translation.override("zh-hans"):
        categories = [str(label) for _, label in Category.choices]
        methods = [str(label) for _, label in Method.choices]
        xlsx_append(
            sheet,
            [
                categories[2],
                methods[0],
                "数据库管理系统",
                "1200000.00",
                "示例软件有限公司",
                "91350100M000100Y43",
                "HT-2026-001",
                "2026-03-15",
                "",
                "是",
                "列入安全可靠测评结果名录",
                "",
            ],
        )
    for column, options in (("A", categories), ("B", methods), ("J", ["是", "否"])):
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        rule.add(f"{column}2:{column}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)
    for column in ("D", "F", "G", "H", "I"):  # text cells: amounts and codes keep their digits
        for row in range(2, 202):
            sheet[f"{column}{row}"].number_format = "@"
    for column, width in zip("ABCDEFGHIJKL", (22, 16, 30, 18, 30, 24, 18, 14, 14, 10, 36, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
