"""Budget records of clause 3 (domain.md §3, §5): the estimate and its sub-project lines, the
immutable baselines, adjustment requests, and the spending ledger (概预算执行).

Amounts are yuan, DecimalField(15, 2) — 13 digits before the point as api.md allows."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from egovpm.budgets.choices import AdjustmentStatus, BaselineSource, Reason, Route
from egovpm.documents.models import Document
from egovpm.projects.models import Project

AMOUNT: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}


class Estimate(models.Model):
    """投资概算 of one project. Before approve_preliminary_design it is a draft the lead department
    edits; on approval it is snapshotted as a Baseline and from then on its lines change only
    through approved adjustments. Its row is the lock every decision takes (services.py)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="estimate")
    # The draft's total before approval; the current baseline total B afterwards.
    total = models.DecimalField(**AMOUNT)
    baseline = models.ForeignKey(
        "Baseline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the current baseline; None while the estimate is a draft
    # Bumped by every approved adjustment; lines remember the version that last changed them.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="estimate_total_positive")]

    def __str__(self) -> str:
        return f"{self.project.code} estimate {self.total}"


class EstimateLine(models.Model):
    """单项工程: the current effective amount of one sub-project (reserve and other costs too)."""

    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    amount = models.DecimalField(**AMOUNT)
    position = models.PositiveIntegerField(default=0)
    changed_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["estimate", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["estimate", "code"], name="estimate_line_code_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="estimate_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Baseline(models.Model):
    """An approved estimate, never changed afterwards (style.md habit 9). Every approval of the
    preliminary design or of an NDRC-route adjustment adds one; history keeps them all."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    seq = models.PositiveIntegerField()
    total = models.DecimalField(**AMOUNT)
    approved_on = models.DateField()
    source = models.CharField(max_length=24, choices=BaselineSource.choices)
    approval_reference = models.CharField(max_length=100, blank=True)
    adjustment = models.OneToOneField(
        "Adjustment", on_delete=models.PROTECT, null=True, blank=True, related_name="rebaseline"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["project", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="baseline_seq_unique"),
            models.CheckConstraint(condition=Q(total__gt=0), name="baseline_total_positive"),
            models.CheckConstraint(condition=Q(source__in=BaselineSource.values), name="baseline_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} baseline {self.seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("a baseline is immutable")
        super().save(*args, **kwargs)


class BaselineLine(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.PROTECT, related_name="lines")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    amount = models.DecimalField(**AMOUNT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["baseline", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "code"], name="baseline_line_code_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="baseline_line_amount_not_negative"),
        ]


class Adjustment(models.Model):
    """概算调整 request (domain.md §5). route/moved/ratios/failed hold the latest computation:
    at the request, then again at the decision (the audit trail keeps each one)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="adjustments")
    number = models.PositiveIntegerField()  # 1, 2, … per project, for people
    status = models.CharField(max_length=12, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING)
    route = models.CharField(max_length=16, choices=Route.choices)
    requested_route = models.CharField(max_length=16, choices=Route.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    goals_unchanged = models.BooleanField()
    changes_main_content = models.BooleanField(default=False)
    description = models.TextField()
    report_document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    new_total = models.DecimalField(**AMOUNT)
    moved = models.DecimalField(**AMOUNT)
    prior_moved = models.DecimalField(**AMOUNT, default=0)
    baseline_total = models.DecimalField(**AMOUNT)
    ratio = models.CharField(max_length=40)
    cumulative_ratio = models.CharField(max_length=40)
    failed = models.JSONField(default=list)
    # The state the request was made against: the baseline and the estimate's version.
    baseline = models.ForeignKey(Baseline, on_delete=models.PROTECT, related_name="requests")
    estimate_version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    rerouted_at = models.DateTimeField(null=True, blank=True)
    # The decision. decided_baseline: the baseline an approval counted against (for `prior`).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_baseline = models.ForeignKey(
        Baseline, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    # Filing with NDRC (备案) of an approved self-approval, and NDRC's acknowledgement.
    filed_on = models.DateField(null=True, blank=True)
    filing_document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    filing_reference = models.CharField(max_length=100, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="adjustment_number_unique"),
            models.CheckConstraint(condition=Q(status__in=AdjustmentStatus.values), name="adjustment_status_valid"),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="adjustment_route_valid"),
            models.CheckConstraint(condition=Q(reason__in=Reason.values), name="adjustment_reason_valid"),
            models.CheckConstraint(condition=Q(moved__gte=0), name="adjustment_moved_not_negative"),
            # a filing exists only for an approved self-approval, on or after its decision
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True)
                | Q(status=AdjustmentStatus.APPROVED, route=Route.SELF_APPROVAL, filed_on__gte=F("decided_on")),
                name="adjustment_filing_valid",
            ),
        ]
        indexes = [
            # serves NDRC's queue (pending NDRC-route requests) and the unfiled self-approvals
            models.Index(fields=["status", "route"], name="adjustment_status_route"),
            # the 待办 and the 概算调整 page, the oldest first (budgets.selectors.QUEUE_ORDER)
            models.Index(
                fields=["requested_at", "project", "number"],
                condition=Q(status=AdjustmentStatus.PENDING),
                name="adjustment_pending",
            ),
            models.Index(
                fields=["decided_at", "project", "number"],
                condition=Q(status=AdjustmentStatus.APPROVED, route=Route.SELF_APPROVAL, filed_on__isnull=True),
                name="adjustment_unfiled",
            ),
            models.Index(
                fields=["filed_at", "project", "number"],
                condition=Q(filed_on__isnull=False, acknowledged_at__isnull=True),
                name="adjustment_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} adjustment {self.number}"


class AdjustmentItem(models.Model):
    """One line a request names: its amount when the request was made and the proposed one."""

    adjustment = models.ForeignKey(Adjustment, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    old_amount = models.DecimalField(**AMOUNT)
    new_amount = models.DecimalField(**AMOUNT)
    is_new = models.BooleanField(default=False)

    class Meta:
        ordering = ["adjustment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["adjustment", "code"], name="adjustment_item_code_unique"),
            models.CheckConstraint(condition=Q(new_amount__gte=0), name="adjustment_item_amount_not_negative"),
        ]


class Expenditure(models.Model):
    """One recorded payment against a sub-project (概预算执行)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expenditures")
    line = models.ForeignKey(EstimateLine, on_delete=models.PROTECT, related_name="expenditures")
    spent_on = models.DateField()
    amount = models.DecimalField(**AMOUNT)
    voucher = models.CharField(max_length=100)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "spent_on", "recorded_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive")]
        # serves the execution totals "spent on or before as_of" of one project
        indexes = [models.Index(fields=["project", "spent_on"], name="expenditure_project_date")]
