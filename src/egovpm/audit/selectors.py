from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from egovpm.audit.filters import AuditFilter
from egovpm.audit.models import AuditEvent


def audit_events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    project_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by the audit log's FilterSet (audit/filters.py).
    Callers check the audit_admin role (policies) and validate the values (an invalid one here
    selects nothing)."""
    data = {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "project_id": project_id,
        "date_from": date_from.isoformat() if date_from else "",
        "date_to": date_to.isoformat() if date_to else "",
    }
    filters = AuditFilter(data, queryset=AuditEvent.objects.all())
    if not filters.is_valid():
        return AuditEvent.objects.none()
    return filters.qs.order_by("-seq")
