"""The spending ledger's XLSX import and template: one expenditure per row, a header row naming
the columns (Chinese or English). Parsing only — the services validate against the estimate.

Amount cells may be text ("12500.00") or numbers; a number is taken by its shortest decimal
representation (Decimal(str(x))) and refused if that has more than two places — never rounded."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook

from egovpm.budgets.errors import BudgetError
from egovpm.budgets.services import ExpenditureIn
from egovpm.core.errors import CoreError, FieldError, InvalidInput
from egovpm.core.exports import xlsx_append
from egovpm.core.money import parse_amount
from egovpm.core.validators import DATE_ERROR, DATE_MESSAGE, parse_date, text_error

COLUMNS = {
    "line": ("单项工程编码", "line", "code"),
    "spent_on": ("支出日期", "spent_on", "date"),
    "amount": ("金额（元）", "金额(元)", "金额", "amount"),
    "voucher": ("凭证号", "voucher"),
    "note": ("备注", "note"),
}
HEADER = ["单项工程编码", "支出日期", "金额（元）", "凭证号", "备注"]
MAX_ROWS = 5000


class DateWithTime(ValueError):
    """A date cell that holds a time of day too."""


def cell_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("not an amount")
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, float | Decimal):
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            raise ValueError("not an amount")
        value = format(d, "f")
    return parse_amount(str(value).strip() if value is not None else value)


def cell_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise DateWithTime
        return parse_date(value.date())
    if isinstance(value, dt.date):
        return parse_date(value)  # the range of core/validators.py
    if isinstance(value, str):
        return parse_date(value.strip())
    raise ValueError(DATE_MESSAGE)


def read_expenditures(upload: Any) -> list[tuple[int, ExpenditureIn | dict[str, FieldError]]]:
    """Each data row as (row number, ExpenditureIn) or (row number, {column: error})."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not XLSX
        raise InvalidInput(BudgetError.NOT_XLSX, fields={"file": FieldError(BudgetError.NOT_XLSX)}) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise InvalidInput(BudgetError.WORKBOOK_EMPTY, fields={"file": FieldError(BudgetError.WORKBOOK_EMPTY)})
    names = [str(h).strip() if h is not None else "" for h in header]
    index: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for i, name in enumerate(names):
            if name in aliases:
                index[key] = i
                break
    missing = [COLUMNS[k][0] for k in ("line", "spent_on", "amount", "voucher") if k not in index]
    if missing:
        columns = {"columns": "、".join(missing)}
        raise InvalidInput(
            BudgetError.MISSING_COLUMNS, columns, fields={"file": FieldError(BudgetError.MISSING_COLUMNS, columns)}
        )
    out: list[tuple[int, ExpenditureIn | dict[str, FieldError]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(out) >= MAX_ROWS:
            limit = {"max": MAX_ROWS}
            raise InvalidInput(
                BudgetError.TOO_MANY_ROWS, limit, fields={"file": FieldError(BudgetError.TOO_MANY_ROWS, limit)}
            )

        def cell(key: str, values: tuple[Any, ...] = values) -> Any:
            i = index.get(key)
            return values[i] if i is not None and i < len(values) else None

        errors: dict[str, FieldError] = {}
        line = str(cell("line") or "").strip()
        if not line:
            errors["line"] = FieldError(CoreError.REQUIRED)
        spent_on = dt.date.min
        try:
            spent_on = cell_date(cell("spent_on"))
        except DateWithTime:
            errors["spent_on"] = FieldError(BudgetError.DATE_WITHOUT_TIME)
        except ValueError:
            errors["spent_on"] = DATE_ERROR
        amount = Decimal(0)
        try:
            amount = cell_amount(cell("amount"))
        except ValueError:
            errors["amount"] = FieldError(BudgetError.NOT_AN_AMOUNT)
        for key in ("line", "voucher", "note"):  # the text rule of every form (core/validators.py)
            problem = text_error(str(cell(key) or "").strip())
            if problem and key not in errors:
                errors[key] = problem
        row = ExpenditureIn(
            line=line,
            spent_on=spent_on,
            amount=amount,
            voucher=str(cell("voucher") or "").strip(),
            note=str(cell("note") or "").strip(),
        )
        out.append((number, errors or row))
    workbook.close()
    return out


def template_bytes(lines: list[tuple[str, str]]) -> bytes:
    """An empty import sheet with the header and, on a second sheet, the sub-project codes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "支出明细"
    xlsx_append(sheet, HEADER)
    codes = workbook.create_sheet("单项工程")
    xlsx_append(codes, ["单项工程编码", "名称"])
    for code, name in lines:
        xlsx_append(codes, [code, name])  # a line named "=…" stays text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
