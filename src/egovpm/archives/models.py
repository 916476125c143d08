from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.archives.choices import AcceptanceResult
from egovpm.projects.models import Project, StageEvent


class ArchiveAcceptance(models.Model):
    """档案验收 (clause 7; 档发[2008]3号), recorded by an archivist NDRC assigned to the project, with
    the archive completeness as it stood at that moment. Never edited: a re-acceptance is a new row,
    and C7.1 judges the latest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="archive_acceptances")
    accepted_on = models.DateField(_("accepted on"))
    organizer = models.CharField(_("organiser"), max_length=200)
    result = models.CharField(_("result"), max_length=10, choices=AcceptanceResult.choices)
    opinion = models.TextField(_("opinion"))
    completeness = models.JSONField(default=dict)  # snapshot of the completeness view
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "accepted_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(result__in=AcceptanceResult.values), name="archive_result_valid")
        ]
        # serves C7.1 (the latest acceptance of one project)
        indexes = [models.Index(fields=["project", "accepted_on"], name="archive_acc_project_date")]


class CompletionAcceptance(models.Model):
    """What was judged when the project passed completion acceptance (竣工验收): who, when, whether
    NDRC had entrusted it to the department, and the whole compliance report at that moment with
    the pack's version and sha256 (style.md habit 9: snapshot what was approved)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="completion_acceptances")
    event = models.OneToOneField(StageEvent, on_delete=models.PROTECT, related_name="completion_acceptance")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()
    effective_date = models.DateField()
    entrusted = models.BooleanField(default=False)
    archive_acceptance = models.ForeignKey(
        ArchiveAcceptance, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField()
    regime = models.CharField(max_length=10)
    pack_version = models.CharField(max_length=40)
    pack_sha256 = models.CharField(max_length=64)
    results = models.JSONField(default=list)

    class Meta:
        ordering = ["project", "accepted_at"]
