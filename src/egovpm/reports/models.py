"""Progress reports (clause 四). Obligations are not stored — they follow from the project's stage
events and the date (rules/facts_reports.py). What is stored is what people did: submissions
(immutable snapshots), returns for revision, acknowledgements of receipt and reminders sent."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from egovpm.projects.models import Project
from egovpm.reports.choices import Recipient

PERIOD_REGEX = r"^\d{4}(-H1)?$"


class ReportSubmission(models.Model):
    """One submission of a project's report for a period. Never changed afterwards (style.md habit
    9): a report returned for revision is resubmitted as a new version; version 1 decides lateness."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="report_submissions")
    period = models.CharField(max_length=7)
    version = models.PositiveIntegerField()
    sections = models.JSONField()  # {"progress", "content", "tendering", "budget_execution", "problems"}: text
    # The budget execution table as the records stood at submission (amounts as decimal strings).
    budget_snapshot = models.JSONField(null=True, blank=True)
    submitted_at = models.DateTimeField()  # the instant that counts; a paper submission's real time
    recorded_at = models.DateTimeField()  # when it was entered into egovpm
    on_paper = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department_name = models.CharField(max_length=200)  # the reporting department as named on the report

    class Meta:
        ordering = ["project", "period", "version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "version"], name="report_version_unique"),
            models.CheckConstraint(condition=models.Q(period__regex=PERIOD_REGEX), name="report_period_format"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period} v{self.version}"


class ReportReturn(models.Model):
    """NDRC returned a submission for revision, with its reasons."""

    submission = models.OneToOneField(ReportSubmission, on_delete=models.PROTECT, related_name="returned")
    returned_at = models.DateTimeField()
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField()


class ReportAcknowledgement(models.Model):
    """签收: NDRC and MoF each confirm they received a submission."""

    submission = models.ForeignKey(ReportSubmission, on_delete=models.PROTECT, related_name="acknowledgements")
    recipient = models.CharField(max_length=8, choices=Recipient.choices)
    acknowledged_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "recipient"], name="acknowledge_once_per_recipient"),
            models.CheckConstraint(condition=models.Q(recipient__in=Recipient.values), name="recipient_valid"),
        ]


class ReminderSent(models.Model):
    """`egovpm remind` mails each obligation once per threshold ("overdue", "upcoming_14"...)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    threshold = models.CharField(max_length=20)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)  # usernames

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "threshold"], name="remind_once_per_threshold")
        ]
