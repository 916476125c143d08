"""The 监督检查 list (issue 15 item 5, ADR 0018): sorted by a header, filtered through its
FilterSet (inspections/filters.py), paged, exported to XLSX with exactly the rows of the filter and
sort, within the user's scope; the same queries at 2 rows and at 20."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows
from list_pages import signed_in as login

pytestmark = pytest.mark.django_db

# the sorted, filtered page (SQLite; 5 before the kept page read the records' stamp); the same at 2 and 20
QUERIES = 6

LIST = reverse("web:inspections")


def open_one(actor: Any, project: Any, kind: str, started_on: str) -> Any:
    from egovpm.inspections.services import inspection_open

    return inspection_open(
        actor=actor,
        project_id=project.pk,
        kind=kind,
        scope=["progress"],
        inspectors=["inspector_assigned"],
        started_on=started_on,
    )


@pytest.fixture
def several(project: Any, other_project: Any, personas: dict[str, Any]) -> dict[str, Any]:
    ndrc = personas["ndrc"]
    return {
        "mid": open_one(ndrc, project, "inspection", "2026-05-01"),
        "early_audit": open_one(ndrc, project, "audit", "2026-02-01"),
        "late": open_one(ndrc, project, "inspection", "2026-09-01"),
        "other": open_one(ndrc, other_project, "audit", "2026-03-01"),
    }


def shown(body: str) -> list[str]:
    table = body[body.find('id="inspection-list"') :] if 'id="inspection-list"' in body else ""
    return re.findall(r'<td class="mono">([^<]+)</td>', table)


def test_sorted_by_a_header_both_ways_and_by_default_latest_started_first(several: dict[str, Any]) -> None:
    ndrc = login("ndrc")
    by_start = [several[k].reference for k in ("early_audit", "other", "mid", "late")]
    assert shown(ndrc.get(LIST).content.decode()) == by_start[::-1]
    assert shown(ndrc.get(LIST, {"sort": "started"}).content.decode()) == by_start
    body = ndrc.get(LIST, {"sort": "-reference"}).content.decode()
    assert shown(body) == sorted(by_start, reverse=True)
    assert 'aria-sort="descending"' in body
    kinds = shown(ndrc.get(LIST, {"sort": "kind"}).content.decode())  # audits before inspections
    assert set(kinds[:2]) == {several["early_audit"].reference, several["other"].reference}
    assert ndrc.get(LIST, {"sort": "opened_by__password"}).status_code == 200


def test_filters_narrow_the_page_and_the_export(several: dict[str, Any]) -> None:
    ndrc = login("ndrc")
    audits = shown(ndrc.get(LIST, {"kind": "audit", "sort": "started"}).content.decode())
    assert audits == [several["early_audit"].reference, several["other"].reference]
    assert shown(ndrc.get(LIST, {"q": "乙部委"}).content.decode()) == [several["other"].reference]
    assert shown(ndrc.get(LIST, {"year": "2026", "state": "in_progress", "kind": "inspection"}).content.decode()) == [
        several["late"].reference,
        several["mid"].reference,
    ]
    rows = export_rows(ndrc, LIST, {"kind": "audit", "sort": "-started"})
    assert len(rows[0]) == 8  # the header row
    assert [r[0] for r in rows[1:]] == [several["other"].reference, several["early_audit"].reference]
    assert rows[1][1] == "乙部委项目" and rows[1][5] is not None
    for bad in ({"kind": "visit"}, {"year": "abc"}, {"state": "nonsense"}):
        response = ndrc.get(LIST, bad)
        assert response.status_code == 400
        assert next(iter(bad)).encode() in response.content  # the 400 names the field


def test_a_department_sees_and_exports_only_its_projects_inspections(several: dict[str, Any]) -> None:
    staff = login("staff_a")
    mine = {several[k].reference for k in ("mid", "early_audit", "late")}
    assert set(shown(staff.get(LIST).content.decode())) == mine
    assert {r[0] for r in export_rows(staff, LIST, {})[1:]} == mine
    assert {r[0] for r in export_rows(login("staff_b"), LIST, {"sort": "project"})[1:]} == {several["other"].reference}


def test_the_sorted_filtered_list_costs_the_same_queries_at_2_rows_and_at_20(
    project: Any, personas: dict[str, Any]
) -> None:
    ndrc = login("ndrc")
    counts = []
    for n in (2, 20):
        while len(shown(ndrc.get(LIST).content.decode())) < n:
            open_one(personas["ndrc"], project, "inspection", "2026-04-01")
        ndrc.get(LIST, {"sort": "-project", "kind": "inspection"})
        with CaptureQueriesContext(connection) as ctx:
            body = ndrc.get(LIST, {"sort": "-project", "kind": "inspection"}).content.decode()
        assert len(shown(body)) == n
        counts.append(len(ctx.captured_queries))
    assert counts == [QUERIES, QUERIES], counts
