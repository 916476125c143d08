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
from egovpm.core.exports import write_only_row
from egovpm.projects import policies
from egovpm.projects.choices import Stage
from egovpm.projects.filters import freshen_verdicts
from egovpm.projects.models import Participation, Project
from egovpm.projects.selectors import LIST_ORDER, project_list_rows

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


def _chunks(qs: QuerySet[Project]) -> Iterator[list[dict[str, Any]]]:
    """The rows in the list's order (newest first, then code), CHUNK at a time, by keyset."""
    last: tuple[Any, str] | None = None
    while True:
        page = qs
        if last is not None:
            created, code = last
            page = page.filter(created_at__lte=created).exclude(created_at=created, code__lte=code)
        rows = list(page.values("pk", *COLUMNS)[:CHUNK])
        if not rows:
            return
        yield rows
        last = (rows[-1]["created_at"], rows[-1]["code"])
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


def export_rows(*, user: User, **params: str) -> Iterable[list[Any]]:
    """Every row of the filtered list, as the cells of the sheet."""
    qs = project_list_rows(user=user, **params).order_by(*LIST_ORDER)
    freshen_verdicts(qs)  # the health columns are the stored verdicts: fresh first
    health = {"red": _("Red"), "amber": _("Amber"), "green": _("Green")}
    yes = _("Yes")
    for rows in _chunks(qs):
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
