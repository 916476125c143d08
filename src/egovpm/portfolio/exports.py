"""The project list as XLSX (`GET /api/v1/projects/export?…`, the list page's 导出): the rows of
`projects.selectors.project_list_rows` with the same filters — the cockpit's drill-down, written.

Every text cell is a string cell (core/exports.py: a project named `=HYPERLINK(…)` reads back as
the text it is, never a formula). Written in openpyxl's write-only mode from keyset chunks of
CHUNK rows: memory does not grow with the rows."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.core.api import KeysetPagination
from egovpm.core.exports import write_only_row
from egovpm.projects import policies
from egovpm.projects.choices import Stage
from egovpm.projects.filters import freshen_verdicts
from egovpm.projects.models import Participation, Project
from egovpm.projects.selectors import list_order, project_list_rows

CHUNK = 2000
COLUMNS = (
    "code",
    "name",
    "lead_department__name",
    "stage",
    "verdict__health",
    "verdict__bad",
    "verdict__warn",
    "responsible_leader_name",
    "business_unit",
    "technical_unit",
    "service_outsourcing",
    "data_hosting",
    "created_at",
)


def _chunks(qs: QuerySet[Project], ordering: tuple[str, ...]) -> Iterator[list[dict[str, Any]]]:
    """The rows in `ordering` (the list's: newest first, then code; or the page's sort, ending in
    the unique code), CHUNK at a time, by keyset (core.api.KeysetPagination's condition)."""
    keyset = KeysetPagination(ordering)
    names = [name for name, _desc in keyset.fields]
    last: list[Any] | None = None
    while True:
        page = qs.order_by(*ordering)
        if last is not None:
            page = page.filter(keyset._after(last, backwards=False))
        rows = list(page.values("pk", *COLUMNS)[:CHUNK])
        if not rows:
            return
        yield rows
        last = [rows[-1][name] for name in names]
        if len(rows) < CHUNK:
            return


def _participants(pks: list[Any]) -> dict[Any, list[str]]:
    out: dict[Any, list[str]] = defaultdict(list)
    for pk, name in (
        Participation.objects.filter(project_id__in=pks)
        .order_by("department__code")
        .values_list("project_id", "department__name")
    ):
        out[pk].append(name)
    return out


def export_rows(*, user: User, sort: str = "", **params: str) -> Iterable[list[Any]]:
    """Every row of the filtered list, as the cells of the sheet, in the list page's order for
    `sort` (selectors.list_order: the default newest first)."""
    ordering = list_order(sort)
    qs = project_list_rows(user=user, **params)
    freshen_verdicts(qs)  # the health columns are the stored verdicts: fresh first
    health = {"red": _("Red"), "amber": _("Amber"), "green": _("Green")}
    yes = _("Yes")
    for rows in _chunks(qs, ordering):
        pks = [r["pk"] for r in rows]
        participants = _participants(pks)
        # The verdict columns are part of a project's file, not of its summary: an expert assigned
        # to a review finds the project in the list, never its health (as on the list page).
        readable = set(policies.restrict(user, "view").filter(pk__in=pks).values_list("pk", flat=True))
        for r in rows:
            if r["pk"] not in readable:
                r = {**r, "verdict__health": "", "verdict__bad": "", "verdict__warn": ""}
            yield [
                r["code"],
                r["name"],
                r["lead_department__name"],
                "、".join(participants.get(r["pk"], ())),
                str(Stage(r["stage"]).label),
                health.get(r["verdict__health"] or "", ""),
                r["verdict__bad"] if r["verdict__bad"] == "" else r["verdict__bad"] or 0,
                r["verdict__warn"] if r["verdict__warn"] == "" else r["verdict__warn"] or 0,
                r["responsible_leader_name"],
                r["business_unit"],
                r["technical_unit"],
                yes if r["service_outsourcing"] else "",
                yes if r["data_hosting"] else "",
                r["created_at"].astimezone(clock.BEIJING).date(),
            ]


def render_xlsx(rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Projects"))
    ws.freeze_panes = "A2"
    headers = [
        _("Project code"),
        _("Name"),
        _("Lead department"),
        _("Participating departments"),
        _("Stage"),
        _("Health"),
        _("Violations"),
        _("Warnings"),
        _("Responsible leader"),
        _("Business unit"),
        _("Technical unit"),
        _("Service outsourcing"),
        _("Data hosting"),
        _("Created on"),
    ]

    ws.append(write_only_row(ws, headers, font=Font(bold=True)))
    for row in rows:
        ws.append(write_only_row(ws, row))  # text stays text (core/exports.py): "=…" is not a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
