"""Writing the audit trail. Every service that changes data calls `audit_record` inside its
own transaction, so the change and its audit row commit or roll back together."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from egovpm.audit.models import AuditEvent, AuditHead
from egovpm.core import clock

# Which channel the current write came through; set by the API, the UI and the CLI.
current_channel: ContextVar[str] = ContextVar("egovpm_audit_channel", default="system")


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode()


def _event_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(fields)).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        # UTC: the database gives the instant back in UTC whatever offset it was written with
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_username,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "project_id": event.project_id,
        "old": event.old,
        "new": event.new,
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    project_id: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (it takes the chain lock)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=clock.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=getattr(actor, "username", "") or "system",
            channel=current_channel.get(),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=str(obj)[:300] if obj is not None else "",
            project_id=project_id,
            old=json.loads(_canonical(old)) if old is not None else None,
            new=json.loads(_canonical(new)) if new is not None else None,
            prev_hash=head.hash,
        )
        event.hash = _event_digest(head.hash, _hashed_fields(event))
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def audit_chain_verify() -> list[int]:
    """Return the seq numbers where the chain breaks (empty when intact)."""
    broken: list[int] = []
    prev = "0" * 64
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq").iterator():
        if (
            event.seq != expected_seq
            or event.prev_hash != prev
            or event.hash != _event_digest(prev, _hashed_fields(event))
        ):
            broken.append(event.seq)
        prev = event.hash
        expected_seq = event.seq + 1
    # The head remembers the last link: rows removed from the end leave no gap to find above.
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        broken.append(head.seq)
    return broken
