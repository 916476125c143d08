from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from egovpm.documents.choices import Category, Retention
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project


class LiveDocuments(models.Manager["Document"]):
    """The default manager: documents that were not withdrawn. Lists, completeness, gates (the fact
    provider), pickers of other apps and the reverse relation `project.documents` all read through
    it, so a withdrawn document disappears from them without each caller remembering to filter."""

    def get_queryset(self) -> models.QuerySet[Document]:
        return super().get_queryset().filter(withdrawn=False)


class Document(models.Model):
    """A stored file of a project (domain.md §7). The bytes live content-addressed under
    EGOVPM_MEDIA_ROOT by SHA-256 and are never overwritten; a new version is a new row that
    points at the one it supersedes, which stays.

    A document not archived yet may be withdrawn (撤回) by its uploader's department: the row and
    its bytes stay for the audit trail, marked `withdrawn`; `objects` no longer sees it,
    `all_objects` (the blob store's reference count, backups through `_base_manager`) still does."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="documents")
    stage = models.CharField(max_length=24, choices=Stage.choices)
    category = models.CharField(max_length=40, choices=Category.choices)
    title = models.CharField(max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    retention = models.CharField(max_length=10, choices=Retention.choices)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    # clause 7: once archived (归档) a document is immutable; a correction is a new version.
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True, default="")

    objects = LiveDocuments()
    all_objects = models.Manager()  # noqa: DJ012 -- the managers belong with the withdrawal fields they read

    class Meta:
        ordering = ["project", "stage", "category", "-version"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(condition=models.Q(stage__in=Stage.values), name="document_stage_valid"),
            models.CheckConstraint(condition=models.Q(retention__in=Retention.values), name="document_retention_valid"),
            models.CheckConstraint(
                condition=models.Q(archived=False) | models.Q(archived_at__isnull=False),
                name="document_archived_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn=False) | models.Q(withdrawn_at__isnull=False, archived=False),
                name="document_withdrawn_has_time_not_archived",
            ),
        ]
        # serves the document list of one project
        indexes = [models.Index(fields=["project", "stage"], name="document_project_stage")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Last line of defence behind the services (style.md habit 9): a row stored as archived is
        # never written again, whatever code path tries (clause 7: 归档后不得更改).
        if not self._state.adding and Document.all_objects.filter(pk=self.pk, archived=True).exists():
            raise RuntimeError("an archived document is immutable; file a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if Document.all_objects.filter(pk=self.pk, archived=True).exists():
            raise RuntimeError("an archived document is immutable and is never deleted")
        return super().delete(*args, **kwargs)
