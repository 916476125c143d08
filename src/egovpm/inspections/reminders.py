"""The rectification part of `egovpm remind` (notifications/cli.py runs it): each open
rectification item due within DUE_SOON_DAYS days or overdue (Beijing dates, the due date
inclusive) is told to the lead department's people once per item, due date and threshold
(Message.key), so a second run the same day sends nothing and a reopen with a new date tells again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.inspections import machine
from egovpm.inspections.models import RectificationItem

DUE_SOON_DAYS = 7


def rectification_notices(*, today: dt.date | None = None) -> int:
    """The messages made: one per recipient of each item due soon or overdue."""
    from egovpm.notifications.choices import Kind
    from egovpm.notifications.selectors import department_people
    from egovpm.notifications.services import notify, platform_language
    from egovpm.web import registry

    today = today or clock.today()
    items = (
        RectificationItem.objects.filter(state=machine.OPEN, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("finding__inspection", "project")
        .order_by("due_date", "pk")
    )
    people: dict[Any, list[User]] = {}
    sent = 0
    with platform_language():  # the recipients' language, not the job's
        for item in items:
            overdue = machine.is_overdue(item.state, item.due_date, today)
            department = item.project.lead_department_id
            if department not in people:
                people[department] = department_people(department)
            params = {
                "reference": item.finding.inspection.reference,
                "seq": item.finding.seq,
                "project": item.project.name,
                "due": item.due_date.isoformat(),
            }
            title = (
                _("Overdue: rectification %(reference)s finding %(seq)s of %(project)s (due %(due)s)")
                if overdue
                else _("Due %(due)s: rectification %(reference)s finding %(seq)s of %(project)s")
            ) % params
            threshold = "overdue" if overdue else "soon"
            with transaction.atomic():
                sent += len(
                    notify(
                        people[department],
                        Kind.RECTIFICATION,
                        title,
                        link=registry.tab_url(item.project, "inspections"),
                        project_id=item.project_id,
                        key=f"rectification_due:{item.pk}:{item.due_date.isoformat()}:{threshold}",
                    )
                )
    return sent
