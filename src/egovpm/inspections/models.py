"""Inspections and audits (监督检查/稽查), their findings and the rectification of each finding to
closure (clause 8, domain.md §11.3). An inspection's findings freeze when its report is issued;
a rectification item's history is an append-only list of events (answer, close, reopen) that
`machine.item_state_on` replays as of any date — the item row keeps the current state for lists."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.documents.models import Document
from egovpm.inspections.choices import EventKind, InspectionKind, InspectionState, ItemState, Severity
from egovpm.projects.models import Project


class InspectionSequence(models.Model):
    """The last notice number issued per year (发改监督〔YYYY〕N号): numbers only go up."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Inspection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    scope = models.JSONField(default=list)  # area codes, in Area order
    co_organisers = models.JSONField(default=list)  # department codes
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    state = models.CharField(max_length=14, choices=InspectionState.choices, default=InspectionState.IN_PROGRESS)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "started_on", "opened_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=InspectionKind.values), name="inspection_kind_valid"),
            models.CheckConstraint(condition=models.Q(state__in=InspectionState.values), name="inspection_state_valid"),
        ]
        indexes = [models.Index(fields=["project", "started_on"], name="inspection_project_start")]


class InspectionInspector(models.Model):
    """An inspector of one inspection: theirs to record, issue, close and reopen."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="inspectors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "user"], name="inspector_once")]
        # an inspector's own inspections (待办, nav)
        indexes = [models.Index(fields=["user", "inspection"], name="inspector_by_user")]


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    seq = models.PositiveIntegerField()
    area = models.CharField(_("area"), max_length=20)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    rectification_required = models.BooleanField(_("rectification required"), default=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["inspection", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="finding_seq_once"),
            models.CheckConstraint(condition=models.Q(severity__in=Severity.values), name="finding_severity_valid"),
        ]


class RectificationItem(models.Model):
    """整改事项: one per finding that requires rectification, created when the report is issued.
    `state` and `due_date` are the current ones (the latest event's); `initial_due_date` is the
    finding's; as of a date before `issued_on` the item does not exist yet. `project` is
    denormalised for the project's list and the batched facts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="item")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="rectification_items")
    issued_on = models.DateField()  # the Beijing date of the report's issue: the item counts from then
    initial_due_date = models.DateField()
    due_date = models.DateField(_("due date"))
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.OPEN)

    class Meta:
        ordering = ["project", "due_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ItemState.values), name="rectification_state_valid")
        ]
        indexes = [
            # the facts and the project's list (one project, by due date)
            models.Index(fields=["project", "due_date"], name="rectification_project_due"),
            # the 待办 and the portfolio: open items by due date
            models.Index(fields=["state", "due_date"], name="rectification_state_due"),
        ]


class RectificationEvent(models.Model):
    """One step of an item: the department's answer, the inspector's close or reopen. Never edited."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    text = models.TextField(blank=True)  # the answer, or the inspector's comment
    effective_date = models.DateField()  # answered_on for an answer, the Beijing date otherwise
    new_due_date = models.DateField(null=True, blank=True)  # reopen only
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["item", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="rectification_event_seq_once"),
            models.CheckConstraint(condition=models.Q(kind__in=EventKind.values), name="rectification_event_kind"),
        ]


class RectificationEvidence(models.Model):
    """A document an answer cites as evidence (a document of the same project)."""

    event = models.ForeignKey(RectificationEvent, on_delete=models.CASCADE, related_name="evidence")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "document"], name="rectification_evidence_once")]
