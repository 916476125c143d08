"""Progress reports (clause 四). Obligations follow from the project's stage events and the date
(rules/facts_reports.py); what people did is stored as records: submissions (immutable snapshots),
returns for revision, acknowledgements of receipt and reminders sent. ReportObligation keeps the
obligations as of today as derived rows, rebuilt with the stored verdicts (issue 13)."""

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
    # on_track | at_risk | off_track (choices.SelfAssessment); "" when the report did not say (API: optional)
    self_assessment = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["project", "period", "version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "version"], name="report_version_unique"),
            models.CheckConstraint(condition=models.Q(period__regex=PERIOD_REGEX), name="report_period_format"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period} v{self.version}"


class ReportDraft(models.Model):
    """The lead department's working copy of a report not submitted yet (one per project and period):
    saved before the period ends as often as wanted, read back into the form, removed when the report
    is submitted. Pre-filled from the project's records until first saved (selectors.report_prefill)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="report_drafts")
    period = models.CharField(max_length=7)
    sections = models.JSONField()  # the five section keys: text (may be blank, may hold 【待填写：…】 prompts)
    self_assessment = models.CharField(max_length=10, blank=True, default="")
    saved_at = models.DateTimeField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_draft_once"),
            models.CheckConstraint(condition=models.Q(period__regex=PERIOD_REGEX), name="report_draft_period_format"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period} draft"


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


class ReportObligation(models.Model):
    """One report obligation of a project as of the day its rows were rebuilt: derived data, never
    edited by hand. `rules.facts_reports.report_obligations` (what C4.1/C4.2 judge) computes it from
    the project's stage events and submissions; `reports.obligations.rebuild_obligations` rewrites a
    project's rows whenever its stored verdict is refreshed (the compliance refresh hook), so the
    rows are exactly as fresh as the verdicts (a pending report turns overdue the day after its due
    date: the verdict's valid_until ends there, and the refresh rebuilds the rows).

    `department` is the lead department, denormalised for the departments × periods matrix;
    `department_code` and `project_code` give the drill-down its order (department, project, period)
    from an index; the rows are rewritten at each refresh of the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="report_obligations")
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")
    department_code = models.CharField(max_length=64)
    project_code = models.CharField(max_length=64)
    period = models.CharField(max_length=7)
    due = models.DateField()
    status = models.CharField(max_length=20)  # rules.facts_reports.STATUSES
    bucket = models.CharField(max_length=8)  # on_time | late | overdue | pending (a returned one by its first)
    returned = models.BooleanField(default=False)
    computed_on = models.DateField()  # the as_of the row was computed for
    # a standing submission (on time or late, not returned) the recipient has not acknowledged (签收)
    awaits_ndrc = models.BooleanField(default=False)
    awaits_mof = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_obligation_once"),
        ]
        indexes = [
            models.Index(fields=["department", "period", "bucket", "returned"], name="report_oblig_matrix"),
            models.Index(fields=["department_code", "project_code", "period"], name="report_oblig_drill"),
            models.Index(fields=["period", "department_code", "project_code"], name="report_oblig_period"),
            models.Index(fields=["status", "due"], name="report_oblig_status_due"),
            # the drill-down sorted by due date or by project (ADR 0018), at national scale
            models.Index(fields=["due", "department_code", "project_code"], name="report_oblig_due"),
            models.Index(fields=["project_code", "period"], name="report_oblig_project"),
            # the department's own list (newest due first, a backward scan) and its 待办 (earliest
            # due first): one department's rows in due order, never a walk of every department's;
            # the status included, so 待办's count reads the index alone (PostgreSQL; elsewhere ignored)
            models.Index(
                fields=["department", "due", "project_code", "period"], include=["status"], name="report_oblig_own"
            ),
            # the cockpit's drill-down `GET /projects?report=due|overdue|late` (projects.filters): the
            # projects having an obligation in a bucket, read from the index (docs/portfolio.md)
            models.Index(fields=["bucket", "project"], name="report_oblig_bucket"),
            # 待办 of NDRC / MoF: the oldest submissions awaiting their 签收, and how many
            models.Index(
                fields=["due", "project_code", "period"], condition=models.Q(awaits_ndrc=True), name="report_oblig_ndrc"
            ),
            models.Index(
                fields=["due", "project_code", "period"], condition=models.Q(awaits_mof=True), name="report_oblig_mof"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_code} {self.period} {self.status}"


class ObligationsVersion(models.Model):
    """One row: a stamp every rebuild that changes a ReportObligation row replaces (a random number)
    in the same transaction. The portfolio matrix is cached under it (reports.selectors._matrix_counts)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)
