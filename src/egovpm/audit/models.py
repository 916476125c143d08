from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One row per write, from any channel. Append-only: rows are never updated or deleted,
    and each row carries the hash of the previous one, so a removed or edited row breaks the
    chain (audit_chain_verify)."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_username = models.CharField(max_length=150)
    channel = models.CharField(max_length=10)  # api | ui | cli | system
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300, blank=True)
    project_id = models.CharField(max_length=64, blank=True, db_index=True)
    old = models.JSONField(null=True)
    new = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        # serves the audit page's default order and its date filter
        indexes = [models.Index(fields=["at"], name="audit_at")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit events are append-only")


class AuditHead(models.Model):
    """A single row holding the chain's head; locked while an event is appended so that
    concurrent writers form one chain rather than two branches."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
