"""GET /api/v1/reports/portfolio builds its page as plain dicts (reports.api.obligation_json); they
must equal PortfolioProjectOut's rendering — what the endpoint answered before and what the schema
documents — for obligations on time, late, returned, acknowledged by one or both recipients and
pending."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egovpm.core import clock as clock_module
from egovpm.reports import selectors
from egovpm.reports.api import PortfolioProjectOut, portfolio_row
from egovpm.reports.services import report_acknowledge, report_return, report_submit

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


def test_the_page_equals_the_serializer(building: Any, personas: dict[str, Any], api: Any, clock: Any) -> None:
    staff, pk = personas["staff_a"], building.pk
    clock.set_now(dt.datetime(2025, 7, 20, 2, tzinfo=dt.UTC))
    report_submit(actor=staff, project_id=pk, period="2025-H1", sections=SECTIONS)  # on time
    report_acknowledge(actor=personas["ndrc"], project_id=pk, period="2025-H1")
    report_acknowledge(actor=personas["mof"], project_id=pk, period="2025-H1")
    clock.set_now(dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC))
    report_submit(actor=staff, project_id=pk, period="2025", sections=SECTIONS)  # late
    report_acknowledge(actor=personas["mof"], project_id=pk, period="2025")
    report_return(actor=personas["ndrc"], project_id=pk, period="2025", comment="请补充")
    clock.set_now(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC))  # 2026-H1 overdue, 2026 pending
    body = api("ndrc").get("/api/v1/reports/portfolio").json()
    data = selectors.report_portfolio(user=personas["ndrc"])
    today = clock_module.today()
    expected = [
        dict(r) for r in PortfolioProjectOut([portfolio_row(o, today) for o in data["page"].items], many=True).data
    ]
    assert body["results"] == expected and body["projects"] == expected
    by_period = {r["period"]: r for r in body["results"]}
    assert set(by_period) == {"2025-H1", "2025", "2026-H1", "2026"}
    assert by_period["2025-H1"]["acknowledgements"]["ndrc"] and by_period["2025-H1"]["acknowledgements"]["mof"]
    assert by_period["2025"]["returned"]["comment"] == "请补充" and by_period["2025"]["timeliness"] == "late"
    assert by_period["2026"]["submitted_at"] is None and by_period["2026"]["returned"] is None
    assert by_period["2025"]["returned"]["by"] == personas["ndrc"].label()


def test_the_matrix_written_once_reads_the_same_in_every_form(
    building: Any, personas: dict[str, Any], api: Any, clock: Any
) -> None:
    """The whole portfolio's matrix rows are encoded once per change (reports.api.Encoded): the answer
    is the JSON of the whole, compact as DRF writes it, the same asked with an indent, and it
    follows a change of the rows (a new stamp) and of a department's name."""
    import json

    from rest_framework.renderers import JSONRenderer

    clock.set_now(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC))
    client = api("ndrc")
    first = client.get("/api/v1/reports/portfolio")
    body = first.json()
    assert first.content == JSONRenderer().render(body)
    assert client.get("/api/v1/reports/portfolio", HTTP_ACCEPT="application/json; indent=2").json() == body
    assert client.get("/api/v1/reports/portfolio").content == first.content  # from the memo: the same bytes
    cells = {(r["department"], r["period"]): r for r in body["rows"]}
    assert cells[("moa", "2026")]["pending"] == 1 and cells[("moa", "2026")]["department_name"]
    dept = building.lead_department
    dept.name = "新的部门名称"
    dept.save(update_fields=["name"])
    renamed = client.get("/api/v1/reports/portfolio").json()
    assert {r["department_name"] for r in renamed["rows"] if r["department"] == "moa"} == {"新的部门名称"}
    clock.set_now(dt.datetime(2027, 2, 2, 2, tzinfo=dt.UTC))  # 2026 overdue: rows rebuilt, a new stamp
    later = api("ndrc").get("/api/v1/reports/portfolio")
    cell = {(r["department"], r["period"]): r for r in later.json()["rows"]}[("moa", "2026")]
    assert cell["overdue"] == 1 and cell["pending"] == 0
    assert later.content == JSONRenderer().render(json.loads(later.content))
