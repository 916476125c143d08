"""`egovpm remind`: each department's users are mailed their overdue and upcoming report
obligations, once per obligation and threshold; running it twice sends nothing new."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

import pytest
from django.core import mail

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(personas: dict[str, Any]) -> dict[str, Any]:
    for name in ("staff_a", "leader_a", "staff_b", "staff_p", "ndrc", "mof"):
        personas[name].email = f"{name}@example.invalid"
        personas[name].save(update_fields=["email"])
    return personas


def remind(days: int = 14, dry_run: bool = False) -> int:
    from egovpm.reports.cli import run

    return run(argparse.Namespace(command="remind", days=days, dry_run=dry_run))


def test_overdue_reminders_are_sent_once(building: Any, emails: Any, capsys: Any) -> None:
    from egovpm.reports.models import ReminderSent

    assert remind() == 0
    # moa's staff and leader, each one message listing the three overdue reports
    assert sorted(m.to[0] for m in mail.outbox) == ["leader_a@example.invalid", "staff_a@example.invalid"]
    body = mail.outbox[0].body
    assert "逾期未报" in body and building.code in body
    assert "2025年上半年" in body and "2025年度" in body and "2026年上半年" in body
    assert "2026年度" not in body  # due 31 January 2027: not within 14 days
    assert ReminderSent.objects.count() == 3
    assert "sent 1 reminder(s) about 3 obligation(s)" in capsys.readouterr().out
    # nobody outside the lead department is mailed (participants, NDRC, MoF)
    assert remind() == 0
    assert len(mail.outbox) == 2  # nothing new
    assert "sent 0 reminder(s)" in capsys.readouterr().out


def test_upcoming_reminder_within_n_days_and_per_threshold(building: Any, emails: Any, clock: Any, api: Any) -> None:
    for period in ("2025-H1", "2025", "2026-H1"):
        r = api("staff_a").post(
            f"/api/v1/projects/{building.pk}/reports/{period}/submit", {"sections": SECTIONS}, format="json"
        )
        assert r.status_code == 201
    clock.set_now(dt.datetime(2027, 1, 10, 9, 0, tzinfo=clock.BEIJING))  # 2026 due 31 Jan: 21 days
    remind(days=14)
    assert mail.outbox == []
    remind(days=30)
    assert len(mail.outbox) == 2 and "即将到期" in mail.outbox[0].body and "还有21天" in mail.outbox[0].body
    remind(days=30)
    assert len(mail.outbox) == 2  # same threshold: once
    clock.set_now(dt.datetime(2027, 1, 25, 9, 0, tzinfo=clock.BEIJING))
    remind(days=7)  # a closer threshold is a reminder of its own
    assert len(mail.outbox) == 4 and "还有6天" in mail.outbox[-1].body
    clock.set_now(dt.datetime(2027, 2, 1, 0, 0, tzinfo=clock.BEIJING))
    remind(days=7)
    assert len(mail.outbox) == 6 and "已逾期1天" in mail.outbox[-1].body
    remind(days=7)
    assert len(mail.outbox) == 6


def test_dry_run_sends_and_records_nothing(building: Any, emails: Any, capsys: Any) -> None:
    from egovpm.audit.models import AuditEvent
    from egovpm.reports.models import ReminderSent

    assert remind(dry_run=True) == 0
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert not AuditEvent.objects.filter(action="report.remind").exists()
    assert "would send to moa" in capsys.readouterr().out
    remind()
    assert len(mail.outbox) == 2


def test_reminders_are_audited(building: Any, emails: Any) -> None:
    from egovpm.audit.models import AuditEvent

    remind()
    rows = AuditEvent.objects.filter(action="report.remind", project_id=str(building.pk))
    assert rows.count() == 3
    assert {r.new["threshold"] for r in rows} == {"overdue"}


def test_department_without_email_is_retried_later(building: Any, personas: Any) -> None:
    from egovpm.reports.models import ReminderSent

    remind()
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    personas["staff_a"].email = "staff_a@example.invalid"
    personas["staff_a"].save(update_fields=["email"])
    remind()
    assert [m.to for m in mail.outbox] == [["staff_a@example.invalid"]]


def test_command_line(building: Any, emails: Any, capsys: Any) -> None:
    from egovpm.cli import run

    assert run(["remind", "--days", "10", "--dry-run"]) == 0
    assert "would send" in capsys.readouterr().out
    assert run(["remind"]) == 0
    assert len(mail.outbox) == 2
    assert run(["remind", "--days", "-1"]) == 1
    assert "--days" in capsys.readouterr().err
