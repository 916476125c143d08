from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from egovpm.audit.actions import action_label

# What people read for the channel a write came through (core/channel.py: api | ui | cli | system)
CHANNELS: dict[str, Any] = {
    "ui": pgettext_lazy("audit channel", "Web"),
    "api": pgettext_lazy("audit channel", "API"),
    "cli": pgettext_lazy("audit channel", "Command line"),
    "system": pgettext_lazy("audit channel", "System"),
}

# How many independent chains the audit trail is split into (docs/audit.md, ADR 0008). Writers
# append to a free chain, so up to this many transactions write audit rows at the same time.
# Changing it later is safe: every event names its chain and verification walks all of them.
AUDIT_CHAINS = 32


class AuditEvent(models.Model):
    """One row per write, from any channel. Append-only: rows are never updated or deleted (the
    model refuses it and, on PostgreSQL, a trigger too). Every stored column is covered by `hash`,
    an HMAC (key from the environment, named by `key_id`) over the row and the previous link of
    its chain, so an edited, removed or forged row breaks the chain (audit_chain_verify).

    `seq` is global and increasing (the audit page's order); it may have gaps where a write rolled
    back. `chain`/`chain_seq` place the event in one of the chains, where numbers have no gaps.
    `id` equals `seq`."""

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
    chain = models.PositiveSmallIntegerField(default=0)
    chain_seq = models.BigIntegerField(default=0)
    key_id = models.CharField(max_length=20, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    # Not columns: the audit page sets them on the rows it shows (audit.objects.with_object_labels).
    object_type_label: str
    object_name: str
    actor_label: str

    class Meta:
        ordering = ["-seq"]
        # serves the audit page's default order and its date filter
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            # 已办: what one user did, newest first (notifications.selectors.done_of)
            models.Index(fields=["actor", "-seq"], name="audit_actor_seq"),
        ]
        constraints = [models.UniqueConstraint(fields=["chain", "chain_seq"], name="audit_chain_link")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit events are append-only")

    @property
    def action_label(self) -> str:
        """What people read for the action (its label in the request's language)."""
        return action_label(self.action)

    @property
    def channel_label(self) -> str:
        label = CHANNELS.get(self.channel)
        return str(label) if label is not None else self.channel


class AuditHead(models.Model):
    """The head of one chain (id = chain number): its last link and a MAC over it, so that a head
    rewound to an earlier link, or removed together with the newest rows, is noticed. Locked
    while an event is appended to the chain, so that one chain never branches."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=0)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, default="")
