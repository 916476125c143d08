from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from egovpm.audit.models import AuditEvent
from egovpm.core.clock import BEIJING


def audit_events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    project_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered. Callers check the audit_admin role (policies)."""
    qs = AuditEvent.objects.all().order_by("-seq")
    if actor:
        qs = qs.filter(actor_username=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=BEIJING))
    if date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=BEIJING))
    return qs
