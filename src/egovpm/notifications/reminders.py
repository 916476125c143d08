"""Scheduled notices, run by `egovpm remind` after the reports' e-mail (cli.py): a progress report
due in 15, 7 or 1 days or overdue (to the lead department's staff and leaders), an expert opinion
due within OPINION_DUE_DAYS days or overdue (to the panel's experts who have not given it). Each
notice once per recipient and threshold (Message.key), so a second run the same day sends nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.notifications import selectors
from egovpm.notifications.choices import OPINION_DUE_DAYS, REPORT_DUE_DAYS, Kind
from egovpm.notifications.services import notify, platform_language

# Reminders of the apps above this one (inspections: rectification items due or overdue), run by
# `egovpm remind` after the reports' and opinions': (label, () -> number of notices). The apps
# register them from their AppConfig.ready(), so this app imports none of them.
_extra: list[tuple[str, Callable[[], int]]] = []


def register_reminder(label: str, fn: Callable[[], int]) -> None:
    _extra.append((label, fn))


def extra_reminders() -> list[tuple[str, Callable[[], int]]]:
    return list(_extra)


def _bucket(days_left: int) -> str:
    """The threshold a report due in `days_left` days has reached: 1, 7 or 15 (the nearest)."""
    return str(min(d for d in REPORT_DUE_DAYS if days_left <= d))


def report_notices(today: dt.date) -> int:
    from egovpm.reports import selectors as reports

    people: dict[Any, list[User]] = {}
    sent = 0
    for o, threshold in reports.reminders_due(days=max(REPORT_DUE_DAYS), today=today):
        overdue = threshold == "overdue"
        bucket = "overdue" if overdue else _bucket(o.due_in(today))
        project = o.project
        if project.lead_department_id not in people:
            people[project.lead_department_id] = selectors.department_people(project.lead_department_id)
        params = {
            "period": o.period.label_zh,
            "project": project.name,
            "due": o.due.isoformat(),
            "days": o.due_in(today),
        }
        title = (
            _("Overdue: progress report %(period)s of %(project)s (due %(due)s)")
            if overdue
            else _("Due in %(days)s days: progress report %(period)s of %(project)s (due %(due)s)")
        ) % params
        with transaction.atomic():
            sent += len(
                notify(
                    people[project.lead_department_id],
                    Kind.REPORT_DUE,
                    title,
                    link=reverse("web:report_detail", kwargs={"pk": project.pk, "period": o.code}),
                    project_id=project.pk,
                    key=f"report_due:{project.pk}:{o.code}:{bucket}",
                )
            )
    return sent


def opinion_notices(today: dt.date) -> int:
    from egovpm.reviews.models import ExpertReview

    reviews = (
        ExpertReview.objects.filter(
            status="open", due_on__isnull=False, due_on__lte=today + dt.timedelta(days=OPINION_DUE_DAYS)
        )
        .select_related("project")
        .prefetch_related("members__expert", "opinions")
    )
    sent = 0
    for review in reviews:
        given = {o.expert_id for o in review.opinions.all()}
        missing = [m.expert for m in review.members.all() if m.expert_id not in given]
        assert review.due_on is not None
        overdue = review.due_on < today
        params = {"project": review.project.name, "due": review.due_on.isoformat()}
        title = (
            _("Overdue: your expert opinion on %(project)s (due %(due)s)")
            if overdue
            else _("Due %(due)s: your expert opinion on %(project)s")
        ) % params
        with transaction.atomic():
            sent += len(
                notify(
                    missing,
                    Kind.OPINION_DUE,
                    title,
                    link=reverse("web:review_detail", kwargs={"pk": review.pk}),
                    project_id=review.project_id,
                    key=f"opinion_due:{review.pk}:{'overdue' if overdue else 'soon'}",
                )
            )
    return sent


def due_notices(*, today: dt.date | None = None) -> tuple[int, int]:
    """(report notices, opinion notices) made today."""
    today = today or clock.today()
    with platform_language():  # the recipients' language, not the job's
        return report_notices(today), opinion_notices(today)
