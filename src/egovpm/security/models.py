from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.documents.models import Document
from egovpm.projects.models import Project
from egovpm.security.choices import ClassifiedTier, EvaluationResult, Network, Purpose


class InformationSystem(models.Model):
    """An information system the project builds or touches (domain.md §8): its purpose and network
    (clause 9) and its graded protection level or classified tier (clause 6)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="systems")
    name = models.CharField(_("system name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    is_new = models.BooleanField(_("newly built"), default=True)
    protection_level = models.PositiveSmallIntegerField(_("graded-protection level"), null=True, blank=True)
    classified_tier = models.CharField(
        _("classified tier"), max_length=12, choices=ClassifiedTier.choices, blank=True, default=""
    )
    protection_in_needs_analysis = models.BooleanField(default=False)
    protection_in_design = models.BooleanField(default=False)
    filing_number = models.CharField(_("public-security filing number"), max_length=100, blank=True)
    filing_date = models.DateField(null=True, blank=True)
    evaluation_date = models.DateField(null=True, blank=True)
    evaluation_result = models.CharField(max_length=20, choices=EvaluationResult.choices, blank=True, default="")
    migration_target_date = models.DateField(null=True, blank=True)
    # clause 9 "in principle": NDRC may let one system use a new dedicated network, with its reason
    exception_reason = models.TextField(blank=True)
    exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exception_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "created_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(protection_level__isnull=True)
                | models.Q(protection_level__gte=1, protection_level__lte=5),
                name="system_level_1_to_5",
            ),
            # a system is graded (等保) or classified (分保), never both
            models.CheckConstraint(
                condition=models.Q(protection_level__isnull=True) | models.Q(classified_tier=""),
                name="system_level_or_tier",
            ),
            models.CheckConstraint(condition=models.Q(purpose__in=Purpose.values), name="system_purpose_valid"),
            models.CheckConstraint(condition=models.Q(network__in=Network.values), name="system_network_valid"),
            models.CheckConstraint(
                condition=models.Q(exception_reason="") | models.Q(exception_at__isnull=False),
                name="system_exception_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RiskAssessment(models.Model):
    """信息安全风险评估 organised during trial operation (clause 6; 发改高技[2008]2071号). Recorded once,
    never edited: a later assessment is a new row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="risk_assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessor"), max_length=200)
    summary = models.TextField(_("summary"))
    residual_risks = models.TextField(_("residual risks"), blank=True)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "assessed_on", "created_at"]
        # serves the C6.2 facts and the tab's list of one project
        indexes = [models.Index(fields=["project", "assessed_on"], name="risk_project_date")]
