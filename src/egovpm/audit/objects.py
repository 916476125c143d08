"""What people read for an audit event's object (issue 15 item 4): the object type's label
("documents.document" → 文件) and the object's name ("ArchiveAcceptance object (86e2…)" → the
project's name), looked up for a whole page at once — one query (the page's projects), never one
per row. The project model is reached through the app registry (the audit app imports no other app)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext_lazy

from egovpm.audit.models import CHANNELS, AuditEvent

_T = "audit object"
OBJECT_TYPES: dict[str, Any] = {
    "accounts.department": pgettext_lazy(_T, "Department"),
    "accounts.user": pgettext_lazy(_T, "User"),
    "accounts.userrole": pgettext_lazy(_T, "Role grant"),
    "accounts.apitoken": pgettext_lazy(_T, "API token"),
    "accounts.securitypolicy": pgettext_lazy(_T, "Security policy"),
    "audit.auditevent": pgettext_lazy(_T, "Audit event"),
    "audit.chain": pgettext_lazy(_T, "Audit chain"),
    "projects.project": pgettext_lazy(_T, "Project"),
    "projects.participation": pgettext_lazy(_T, "Participating department"),
    "projects.stageevent": pgettext_lazy(_T, "Stage event"),
    "projects.assignment": pgettext_lazy(_T, "Assignment"),
    "documents.document": pgettext_lazy(_T, "Document"),
    "budgets.estimate": pgettext_lazy(_T, "Budget estimate"),
    "budgets.baseline": pgettext_lazy(_T, "Approved budget"),
    "budgets.adjustment": pgettext_lazy(_T, "Budget adjustment"),
    "budgets.expenditure": pgettext_lazy(_T, "Expenditure"),
    "reports.reportsubmission": pgettext_lazy(_T, "Progress report"),
    "reports.reportdraft": pgettext_lazy(_T, "Report draft"),
    "reports.reportreturn": pgettext_lazy(_T, "Report return"),
    "reports.reportacknowledgement": pgettext_lazy(_T, "Report acknowledgement"),
    "reports.reportobligation": pgettext_lazy(_T, "Reporting obligation"),
    "reviews.specialty": pgettext_lazy(_T, "Specialty"),
    "reviews.expertprofile": pgettext_lazy(_T, "Expert"),
    "reviews.expertreview": pgettext_lazy(_T, "Expert review"),
    "reviews.panelmember": pgettext_lazy(_T, "Panel member"),
    "reviews.opinion": pgettext_lazy(_T, "Expert opinion"),
    "reviews.needsanalysis": pgettext_lazy(_T, "Needs analysis"),
    "security.informationsystem": pgettext_lazy(_T, "Information system"),
    "security.riskassessment": pgettext_lazy(_T, "Risk assessment"),
    "archives.archiveacceptance": pgettext_lazy(_T, "Archive acceptance"),
    "archives.completionacceptance": pgettext_lazy(_T, "Completion acceptance"),
    "procurement.procurement": pgettext_lazy(_T, "Procurement"),
    "procurement.deliverymode": pgettext_lazy(_T, "Delivery mode"),
    "inspections.inspection": pgettext_lazy(_T, "Inspection"),
    "inspections.finding": pgettext_lazy(_T, "Inspection finding"),
    "inspections.rectificationitem": pgettext_lazy(_T, "Rectification item"),
    "evaluations.approvedgoals": pgettext_lazy(_T, "Approved goals"),
    "evaluations.evaluationtemplate": pgettext_lazy(_T, "Evaluation template"),
    "evaluations.postevaluation": pgettext_lazy(_T, "Post-evaluation"),
    "compliance.projectverdict": pgettext_lazy(_T, "Compliance verdict"),
    "notifications.message": pgettext_lazy(_T, "Message"),
    "notifications.preference": pgettext_lazy(_T, "Notification setting"),
}


def object_type_label(object_type: str) -> str:
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


_DEFAULT_REPR = re.compile(r"^\w+ object \(.*\)$")


def is_default_repr(text: str) -> bool:
    """Django's "Model object (id)": a record without a name of its own."""
    return bool(_DEFAULT_REPR.match(text))


def object_names(events: Iterable[AuditEvent]) -> dict[int, str]:
    """seq → the object's name for people: the name recorded with the event, or — where that is
    Django's "Model object (id)" (models without a name of their own) — the name of the project the
    event belongs to. One query for the whole page (the projects), whatever its rows."""
    events = list(events)
    project_ids = {e.project_id for e in events if e.project_id}
    projects: dict[str, str] = {}
    if project_ids:
        project_model = apps.get_model("projects", "Project")
        pk = project_model._meta.pk
        assert pk is not None
        valid = []
        for raw in project_ids:
            try:
                valid.append(pk.to_python(raw))
            except (ValidationError, ValueError, TypeError):
                continue
        projects = {str(p.pk): str(p) for p in project_model._default_manager.filter(pk__in=valid)}
    names: dict[int, str] = {}
    for e in events:
        if e.object_repr and not _DEFAULT_REPR.match(e.object_repr):
            names[e.seq] = e.object_repr
        elif e.project_id in projects:
            names[e.seq] = projects[e.project_id]
    return names


def actor_names(events: Iterable[AuditEvent]) -> dict[Any, str]:
    """actor id → the person's name (their login name when they have none): one query for the page."""
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    rows = get_user_model()._default_manager.filter(pk__in=ids).values_list("pk", "display_name", "username")
    return {pk: display or username for pk, display, username in rows}


def with_object_labels(events: list[AuditEvent]) -> list[AuditEvent]:
    """Sets `object_type_label`, `object_name` and `actor_label` (the actor's name) on each event
    of a page (two queries: the projects, the actors)."""
    names = object_names(events)
    actors = actor_names(events)
    for e in events:
        e.object_type_label = object_type_label(e.object_type)
        e.object_name = names.get(e.seq, "")
        e.actor_label = actors.get(e.actor_id) or (
            str(CHANNELS["system"]) if e.actor_id is None and e.actor_username == "system" else e.actor_username
        )
    return events
