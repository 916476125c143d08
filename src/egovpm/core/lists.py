"""The list pages' common layer (issue 15 item 5, ADR 0018): sorting by whitelisted columns, a
deterministic order, and the XLSX export of exactly the rows a page shows.

- `sorted_by(qs, value, columns, default)`: `value` is the `sort` query parameter (`key` or
  `-key`); only a key of `columns` sorts (anything else is ignored: the default order, never a
  500); the list's default order and the primary key always follow, so equal values never swap
  between pages. Sorting adds no query.
- `sort_links(request, columns, current)`: per column the URL that sorts by it (ascending, or
  descending when it already sorts ascending), keeping the filters and dropping the page numbers.
- `filtered(filters)`: a FilterSet's `.qs`, or a 400 naming the fields it refused.
- `xlsx_response(filename, header, rows)`: a formula-safe write-only workbook
  (core/exports.write_only_row) of at most EXPORT_LIMIT rows; the caller passes the same filtered,
  scoped, sorted queryset the page pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from egovpm.core.exports import write_only_row

EXPORT_LIMIT = 5000  # rows in one export; a list longer than this is narrowed with its filters first
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

M = TypeVar("M", bound=Model)


def filtered(filters: Any) -> Any:
    """A bound FilterSet's `.qs`, or a 400 (django's BadRequest: the 400 page shows its words)
    naming each field it refused and why."""
    from django.core.exceptions import BadRequest

    if not filters.is_valid():
        raise BadRequest("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in filters.errors.items()))
    return filters.qs


def sort_param(value: str | None, columns: Mapping[str, Sequence[str]]) -> str:
    """The `sort` value if it names a whitelisted column (`key` or `-key`), else ""."""
    value = (value or "").strip()
    return value if value.lstrip("-") in columns and value.count("-") <= 1 else ""


def sorted_by(
    qs: QuerySet[M], value: str | None, columns: Mapping[str, Sequence[str]], default: Sequence[str]
) -> QuerySet[M]:
    """`qs` ordered by the whitelisted column `value` names, then `default`, then the primary key."""
    chosen = sort_param(value, columns)
    head: list[str] = []
    if chosen:
        desc = chosen.startswith("-")
        head = [f"-{f}" if desc else f for f in columns[chosen.lstrip("-")]]
    return qs.order_by(*head, *default, "pk")


def sort_links(request: HttpRequest, columns: Iterable[str], current: str) -> dict[str, dict[str, str]]:
    """Per column: `url` (sorts by it, toggling the direction) and `state` ("asc", "desc" or "")."""
    out: dict[str, dict[str, str]] = {}
    for key in columns:
        query = request.GET.copy()
        for name in list(query):
            if name == "page" or name.endswith("_page") or name in ("export", "section"):
                del query[name]
        state = "asc" if current == key else "desc" if current == f"-{key}" else ""
        query["sort"] = f"-{key}" if state == "asc" else key
        out[key] = {"url": f"?{query.urlencode()}", "state": state}
    return out


def export_url(request: HttpRequest, **extra: str) -> str:
    """The current page's query (filters and sort, no page numbers) with `export=xlsx` and `extra`."""
    query = request.GET.copy()
    for name in list(query):
        if name == "page" or name.endswith("_page"):
            del query[name]
    query["export"] = "xlsx"
    for k, v in extra.items():
        query[k] = v
    return f"?{query.urlencode()}"


def xlsx_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An XLSX attachment: the header row and at most EXPORT_LIMIT rows, every text a string cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(write_only_row(sheet, [str(h) for h in header], font=Font(bold=True)))
    for i, row in enumerate(rows):
        if i >= EXPORT_LIMIT:
            break
        sheet.append(write_only_row(sheet, row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
