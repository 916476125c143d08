"""Notices made from the audit trail (ADR 0017): audit.services calls `on_audit_event` with each
event inside the transaction that wrote it, so a notice exists exactly when its change does and no
business service had to learn about notifications. Each handler reads what it needs (one or two
queries) and calls services.notify."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from egovpm.accounts.models import User
from egovpm.audit.models import AuditEvent
from egovpm.notifications import selectors
from egovpm.notifications.choices import Kind
from egovpm.notifications.services import notify, platform_language
from egovpm.projects.choices import Action
from egovpm.projects.models import Project

Handler = Callable[[AuditEvent], None]


def _project_url(project_id: Any) -> str:
    return reverse("web:project_detail", kwargs={"pk": project_id})


def _panel_formed(event: AuditEvent) -> None:
    from egovpm.reviews.models import ExpertReview

    review = ExpertReview.objects.select_related("project").filter(pk=event.object_id).first()
    if review is None:
        return
    experts = User.objects.filter(review_panels__review=review)
    title = _("You sit on the expert panel of %(project)s") % {"project": review.project.name}
    body = (
        _("Please give your opinion on the needs-analysis report by %(due)s.") % {"due": review.due_on.isoformat()}
        if review.due_on
        else _("Please give your opinion on the needs-analysis report.")
    )
    notify(
        experts,
        Kind.PANEL_FORMED,
        title,
        body,
        link=reverse("web:review_detail", kwargs={"pk": review.pk}),
        project_id=review.project_id,
    )


def _review_concluded(event: AuditEvent) -> None:
    project = Project.objects.filter(pk=event.project_id).first()
    if project is None:
        return
    notify(
        selectors.department_people(project.lead_department_id),
        Kind.DECISION_MADE,
        _("The expert panel concluded on %(project)s") % {"project": project.name},
        _("Read the panel's conclusion; the next step is yours: submit the project proposal."),
        link=reverse("web:project_reviews", kwargs={"pk": project.pk}),
        project_id=project.pk,
    )


def _adjustment_notice(event: AuditEvent, whom: str, kind: str, title: str, body: str = "") -> None:
    """Tell `whom` (a user field of the adjustment: requested_by, filed_by) about it — never the
    actor themself."""
    from egovpm.budgets.models import Adjustment

    adjustment = Adjustment.objects.select_related("project", whom).filter(pk=event.object_id).first()
    person = getattr(adjustment, whom, None)
    if adjustment is None or person is None or person.pk == event.actor_id:
        return
    params = {"number": adjustment.number, "project": adjustment.project.name}
    notify(
        [person],
        kind,
        title % params,
        body or (adjustment.decision_comment if kind == Kind.DECISION_MADE else ""),
        link=reverse("web:project_budgets", kwargs={"pk": adjustment.project_id}),
        project_id=adjustment.project_id,
    )


def _adjustment_decided(event: AuditEvent) -> None:
    title = (
        _("Adjustment request no. %(number)s of %(project)s was approved")
        if event.action == "adjustment.approve"
        else _("Adjustment request no. %(number)s of %(project)s was rejected")
    )
    _adjustment_notice(event, "requested_by", Kind.DECISION_MADE, title)


def _adjustment_acknowledged(event: AuditEvent) -> None:
    title = _("NDRC acknowledged the filing of adjustment no. %(number)s of %(project)s")
    _adjustment_notice(event, "filed_by", Kind.ACKNOWLEDGED, title)


def _report_acknowledged(event: AuditEvent) -> None:
    from egovpm.reports.choices import Recipient
    from egovpm.reports.models import ReportSubmission

    submission = ReportSubmission.objects.select_related("project", "submitted_by").filter(pk=event.object_id).first()
    if submission is None:
        return
    recipient = (event.new or {}).get("recipient", "")
    who = Recipient(recipient).label if recipient in Recipient.values else recipient
    title = _("%(who)s acknowledged the progress report %(period)s of %(project)s") % {
        "who": str(who),
        "period": submission.period,
        "project": submission.project.name,
    }
    notify(
        [submission.submitted_by],
        Kind.ACKNOWLEDGED,
        title,
        link=reverse("web:project_reports", kwargs={"pk": submission.project_id}),
        project_id=submission.project_id,
    )


def _report_reminded(event: AuditEvent) -> None:
    """`egovpm remind` mailed the department (reports.services.reminders_send): the same notice in
    the message centre, without a second e-mail."""
    new = event.new or {}
    people = User.objects.filter(username__in=new.get("recipients") or [])
    project = Project.objects.filter(pk=event.project_id).first()
    if project is None:
        return
    overdue = new.get("threshold") == "overdue"
    title = (
        _("Overdue: progress report %(period)s of %(project)s")
        if overdue
        else _("Due soon: progress report %(period)s of %(project)s")
    ) % {"period": new.get("period", ""), "project": project.name}
    notify(
        people,
        Kind.REPORT_DUE,
        title,
        link=reverse("web:project_reports", kwargs={"pk": project.pk}),
        project_id=project.pk,
        key=f"remind:{event.object_id}",
        email=False,
    )


# Stage decisions NDRC (or the entrusted leader) takes on a department's project.
DECISIONS = {
    Action.APPROVE_PROPOSAL,
    Action.APPROVE_FEASIBILITY,
    Action.APPROVE_PRELIMINARY_DESIGN,
    Action.PASS_COMPLETION_ACCEPTANCE,
    Action.RETURN,
    Action.CANCEL,
}


def _stage_decided(event: AuditEvent) -> None:
    project = Project.objects.filter(pk=event.project_id).first()
    if project is None:
        return
    action = event.action.removeprefix("project.transition.")
    people = [u for u in selectors.department_people(project.lead_department_id) if u.pk != event.actor_id]
    title = _("%(decision)s: %(project)s") % {"decision": Action(action).label, "project": project.name}
    notify(
        people,
        Kind.DECISION_MADE,
        title,
        str((event.new or {}).get("comment") or ""),
        link=_project_url(project.pk),
        project_id=project.pk,
    )


HANDLERS: dict[str, Handler] = {
    "review.form": _panel_formed,
    "review.conclude": _review_concluded,
    "adjustment.approve": _adjustment_decided,
    "adjustment.reject": _adjustment_decided,
    "adjustment.acknowledge": _adjustment_acknowledged,
    "report.acknowledge": _report_acknowledged,
    "report.remind": _report_reminded,
    **{f"project.transition.{a}": _stage_decided for a in DECISIONS},
}


def on_audit_event(event: AuditEvent) -> None:
    handler = HANDLERS.get(event.action)
    if handler is not None:
        # in the platform's language: the recipients read it, not the actor (services.platform_language)
        with platform_language():
            handler(event)
