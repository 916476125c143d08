"""Spreadsheet exports that a spreadsheet will not execute (OWASP "CSV injection").

Every XLSX and CSV the product writes goes through here, so that text a user typed — a project
named `=HYPERLINK("http://x","y")`, a note starting with `+`, `-` or `@` — reaches the NDRC or MoF
officer who opens the file as the text it is, never as a live formula:

- XLSX (`xlsx_append`, and `write_only_row` for workbooks written in openpyxl's write-only mode):
  every `str` becomes a string cell (openpyxl would otherwise store text that
  starts with `=` as a formula). The value is unchanged, so the export reads back as typed.
- CSV (`csv_cell`): a CSV has no cell types, so text that starts like a formula (`=`, `+`, `-`,
  `@`, tab, carriage return) is prefixed with an apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell: None is empty, dicts and lists are JSON, formula-like text gets an apostrophe."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict | list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xlsx_append(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)` with every text written as a string cell, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write_only_row(
    sheet: Any, values: Iterable[Any], *, font: Any = None, number_formats: dict[int, str] | None = None
) -> list[Any]:
    """The cells of one row for a write-only sheet (`sheet.append(write_only_row(sheet, …))`), every
    text a string cell, never a formula; `number_formats` by column index, `font` for every cell."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for i, value in enumerate(values):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        if number_formats and i in number_formats:
            cell.number_format = number_formats[i]
        out.append(cell)
    return out
