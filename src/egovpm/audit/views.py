"""The audit log page (审计日志) and its CSV export: the audit administrator's (三员分立)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from egovpm.audit.api import audit_csv
from egovpm.audit.filters import AuditFilter
from egovpm.audit.models import AuditEvent
from egovpm.audit.objects import with_object_labels
from egovpm.audit.policies import can_read_audit_log
from egovpm.audit.selectors import audit_events

PAGE_SIZE = 50


def _audit_queryset(request: HttpRequest) -> tuple[Any, Any]:
    """The filter form and the events it selects: the audit log's FilterSet, as in the API."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied(_("Only the audit administrator reads the audit log."))
    filters = AuditFilter(request.GET, queryset=AuditEvent.objects.none())
    if not filters.is_valid():
        return filters.form, AuditEvent.objects.none()  # the form shows what was refused
    values = {k: v for k, v in filters.form.cleaned_data.items() if v}
    return filters.form, audit_events(**values)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form, qs = _audit_queryset(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_object_labels(list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": params.urlencode()})


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    _form, qs = _audit_queryset(request)
    return audit_csv(qs)
