"""The department record's module sections with real records: the rectification items of the
projects a department leads (open, overdue on the date, the overdue ones listed) and the
conclusions of its post-evaluations (dated on or before the date) — never another department's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egovpm.accounts.models import Department
from evaluations import conftest as evaluation_fixtures
from inspections import conftest as inspection_fixtures

pytestmark = pytest.mark.django_db

# the fixtures of the inspections and evaluations tests (their conftest files are not this folder's)
opened = inspection_fixtures.opened
add_finding = inspection_fixtures.add_finding
operating = evaluation_fixtures.operating
report = evaluation_fixtures.report
body = evaluation_fixtures.body


def _record(code: str = "moa", as_of: dt.date | None = None) -> dict[str, Any]:
    from egovpm.portfolio.record import record_of

    return record_of(Department.objects.get(code=code), as_of)


def test_rectification_items_open_and_overdue(opened: Any, project: Any, personas: dict[str, Any]) -> None:
    from egovpm.inspections.services import inspection_issue

    inspector = personas["inspector_assigned"]
    add_finding(opened, inspector, due_date="2026-06-30")
    add_finding(opened, inspector, description="档案未及时归档", area="archives", due_date="2026-12-31")
    add_finding(opened, inspector, description="轻微问题", rectification_required=False, due_date=None)
    inspection_issue(actor=inspector, inspection_id=opened.pk, ended_on="2026-07-01")
    rect = _record()["rectifications"]
    assert (rect["open"], rect["overdue"]) == (2, 1)
    [item] = rect["overdue_items"]
    assert (item["project_code"], item["due_date"], item["finding"]) == (project.code, "2026-06-30", 1)
    assert _record("mob")["rectifications"] == {"open": 0, "overdue": 0, "overdue_items": []}


def test_post_evaluation_conclusions_by_date(operating: Any, report: Any, personas: dict[str, Any]) -> None:
    from egovpm.evaluations.services import post_evaluation_add

    post_evaluation_add(actor=personas["ndrc"], project_id=operating.pk, **body(report))
    evaluations = _record()["post_evaluations"]
    assert evaluations["count"] == 1 and evaluations["by_conclusion"] == {"mostly_successful": 1}
    [row] = evaluations["results"]
    assert (row["project_code"], row["evaluated_on"], row["conclusion"]) == (
        operating.code,
        "2026-11-10",
        "mostly_successful",
    )
    assert (row["efficiency"], row["effect"]) == ("85", "78")
    # dated 2026-11-10: not yet there the day before
    assert _record(as_of=dt.date(2026, 11, 9))["post_evaluations"] == {"count": 0, "by_conclusion": {}, "results": []}
    assert _record("mob")["post_evaluations"]["count"] == 0


def test_the_page_shows_them(opened: Any, personas: dict[str, Any], client: Any) -> None:
    from conftest import PASSWORD
    from egovpm.inspections.services import inspection_issue

    add_finding(opened, personas["inspector_assigned"], due_date="2026-06-30")
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=opened.pk, ended_on="2026-07-01")
    assert client.login(username="ndrc", password=PASSWORD)
    html = client.get("/departments/moa/record/").content.decode()
    section = html.split('id="record-rectifications"')[1].split("</section>")[0]
    assert "2026-06-30" in section and "/projects/?department=moa&amp;rule=C8.1" in section
