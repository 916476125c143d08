"""C8.1 (violation): no rectification item overdue as of the date — Beijing dates, the due date
inclusive, instants written in UTC counted on their Beijing date; a reopened item can become
overdue again; health turns red with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.inspections.conftest import add_finding

pytestmark = pytest.mark.django_db


def _c81(project: Any, day: dt.date, language: str = "zh") -> Any:
    from egovpm.projects.selectors import project_compliance

    results = project_compliance(project=project, as_of=day, language=language)["results"]
    return next(r for r in results if r.rule == "C8.1")


def _at(clock: Any, iso: str) -> None:
    clock.set_now(dt.datetime.fromisoformat(iso))


@pytest.fixture
def item(clock: Any, project: Any, opened: Any, personas: dict[str, Any]) -> Any:
    """One item due 2026-06-30 (Beijing, inclusive), the report issued on 2026-06-10."""
    from egovpm.inspections.models import RectificationItem
    from egovpm.inspections.services import inspection_issue

    _at(clock, "2026-06-10T02:00:00+00:00")
    add_finding(opened, personas["inspector_assigned"], due_date="2026-06-30")
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=opened.pk, ended_on="2026-06-10")
    return RectificationItem.objects.get(finding__inspection=opened)


def test_without_any_item_not_applicable_never_pass(project: Any) -> None:
    result = _c81(project, dt.date(2026, 7, 1))
    assert result.status == "not_applicable"
    assert result.message_zh == "尚无整改事项"


def test_due_date_is_inclusive_in_beijing(project: Any, item: Any, opened: Any) -> None:
    on_due = _c81(project, dt.date(2026, 6, 30))
    assert on_due.status == "pass"
    assert on_due.until == dt.date(2026, 6, 30)  # the verdict holds until the due date itself
    late = _c81(project, dt.date(2026, 7, 1))
    assert late.status == "fail"
    assert opened.reference in late.message_zh and "2026-06-30" in late.message_zh
    assert opened.reference in _c81(project, dt.date(2026, 7, 1), "en").message_en


def test_an_answer_written_in_utc_counts_on_its_beijing_date(
    clock: Any, project: Any, item: Any, personas: dict[str, Any]
) -> None:
    from egovpm.inspections.services import rectification_answer

    # 2026-06-30T17:00Z is 01:00 on 1 July in Beijing: the answer is dated 2026-07-01
    _at(clock, "2026-06-30T17:00:00+00:00")
    rectification_answer(actor=personas["staff_a"], item_id=item.pk, text="已整改")
    event = item.events.get()
    assert event.effective_date == dt.date(2026, 7, 1)
    # as of 30 June the item was still open (not overdue: due that day); from 1 July answered
    assert _c81(project, dt.date(2026, 6, 30)).status == "pass"
    assert _c81(project, dt.date(2026, 7, 1)).status == "pass"


def test_an_answer_late_in_the_evening_utc_is_still_the_due_date(
    clock: Any, project: Any, item: Any, personas: dict[str, Any]
) -> None:
    from egovpm.inspections.services import rectification_answer

    _at(clock, "2026-06-30T15:59:00+00:00")  # 23:59 in Beijing on the due date
    rectification_answer(actor=personas["staff_a"], item_id=item.pk, text="已整改")
    assert item.events.get().effective_date == dt.date(2026, 6, 30)
    assert _c81(project, dt.date(2026, 7, 1)).status == "pass"


def test_a_reopened_item_becomes_overdue_again(clock: Any, project: Any, item: Any, personas: dict[str, Any]) -> None:
    from egovpm.inspections.services import rectification_answer, rectification_reopen

    _at(clock, "2026-06-20T02:00:00+00:00")
    rectification_answer(actor=personas["staff_a"], item_id=item.pk, text="已整改")
    _at(clock, "2026-07-09T20:00:00+00:00")  # 10 July, 04:00 in Beijing
    rectification_reopen(actor=personas["inspector_assigned"], item_id=item.pk, comment="证明材料不足")
    assert _c81(project, dt.date(2026, 7, 9)).status == "pass"  # still answered then
    assert _c81(project, dt.date(2026, 7, 10)).status == "fail"  # open again, past its due date
    _at(clock, "2026-07-11T02:00:00+00:00")
    rectification_answer(actor=personas["staff_a"], item_id=item.pk, text="补充证明材料")
    _at(clock, "2026-07-12T02:00:00+00:00")
    rectification_reopen(
        actor=personas["inspector_assigned"], item_id=item.pk, comment="仍需完善", due_date="2026-07-31"
    )
    assert _c81(project, dt.date(2026, 7, 31)).status == "pass"
    assert _c81(project, dt.date(2026, 8, 1)).status == "fail"


def test_facts_horizon_is_the_day_an_open_item_turns_overdue(project: Any, item: Any) -> None:
    from egovpm.projects.facts import project_facts

    assert project_facts(project=project, as_of=dt.date(2026, 6, 15)).horizon == dt.date(2026, 7, 1)
    assert project_facts(project=project, as_of=dt.date(2026, 7, 15)).horizon is None
