"""`egovpm remind` tells the lead department of rectification items due within a week or overdue
(Beijing dates, due date inclusive), once per item, date and threshold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.inspections.conftest import add_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(clock: Any, project: Any, opened: Any, personas: dict[str, Any]) -> Any:
    from egovpm.inspections.models import RectificationItem
    from egovpm.inspections.services import inspection_issue

    clock.set_now(dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC))
    add_finding(opened, personas["inspector_assigned"], due_date="2026-06-30")
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=opened.pk, ended_on="2026-06-10")
    return RectificationItem.objects.get(finding__inspection=opened)


def _reminders(username: str) -> list[str]:
    from egovpm.notifications.models import Message

    return list(
        Message.objects.filter(recipient__username=username, kind="rectification", key__startswith="rectification_due")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_due_soon_then_overdue_once_each_to_the_lead_department(item: Any) -> None:
    from egovpm.inspections.reminders import rectification_notices

    assert rectification_notices(today=dt.date(2026, 6, 22)) == 0  # 8 days ahead: not yet
    assert rectification_notices(today=dt.date(2026, 6, 23)) > 0  # within a week
    assert rectification_notices(today=dt.date(2026, 6, 30)) == 0  # the due day: still "soon", told already
    told = _reminders("leader_a")
    assert len(told) == 1 and "2026-06-30" in told[0]
    assert rectification_notices(today=dt.date(2026, 7, 1)) > 0  # overdue the day after
    assert rectification_notices(today=dt.date(2026, 7, 2)) == 0
    assert len(_reminders("leader_a")) == 2
    assert _reminders("staff_b") == []  # another department hears nothing


def test_egovpm_remind_runs_them(item: Any, clock: Any, capsys: Any) -> None:
    import argparse

    from egovpm.notifications import cli

    clock.set_now(dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.UTC))  # 09:00 on 1 July in Beijing: overdue
    assert cli.run(argparse.Namespace(dry_run=False)) == 0
    assert "rectification reminder" in capsys.readouterr().out
    assert len(_reminders("leader_a")) == 1 and "2026-06-30" in _reminders("leader_a")[0]
