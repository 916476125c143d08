"""The audit log page (审计日志) and its exports: the audit administrator's (三员分立). The page
sorts by its columns (core/lists.py whitelist), pages, filters through the FilterSet the API shares
(audit/filters.py) and exports what it shows as CSV (`export.csv`) or XLSX (`?export=xlsx`)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egovpm.audit.api import audit_csv
from egovpm.audit.filters import AuditFilter
from egovpm.audit.models import AuditEvent
from egovpm.audit.objects import with_object_labels
from egovpm.audit.policies import can_read_audit_log
from egovpm.audit.selectors import audit_events
from egovpm.core import lists

PAGE_SIZE = 50

# The audit log's sortable columns (core/lists.py); the default order is the log's: newest first.
AUDIT_SORTS: dict[str, tuple[str, ...]] = {
    "seq": ("seq",),
    "at": ("at",),
    "actor": ("actor_username",),
    "channel": ("channel",),
    "action": ("action",),
    "object": ("object_type",),
}
AUDIT_ORDER = ("-seq",)
JSON_CELL_MAX = 32000  # a spreadsheet cell holds at most 32 767 characters


def _audit_queryset(request: HttpRequest) -> tuple[Any, QuerySet[AuditEvent], bool]:
    """The filter form, the events it selects (sorted as asked) and whether the filter was valid:
    the audit log's FilterSet, as in the API. A refused value selects nothing."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied(_("Only the audit administrator reads the audit log."))
    filters = AuditFilter(request.GET, queryset=AuditEvent.objects.none())
    if not filters.is_valid():
        return filters.form, AuditEvent.objects.none(), False  # the form shows what was refused
    values = {k: v for k, v in filters.form.cleaned_data.items() if v}
    qs = lists.sorted_by(audit_events(**values), request.GET.get("sort"), AUDIT_SORTS, AUDIT_ORDER)
    return filters.form, qs, True


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form, qs, valid = _audit_queryset(request)
    if valid and request.GET.get("export") == "xlsx":
        return _audit_xlsx(list(qs[: lists.EXPORT_LIMIT]))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_object_labels(list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    sort = lists.sort_param(request.GET.get("sort"), AUDIT_SORTS)
    context = {
        "form": form,
        "page": page,
        "query": params.urlencode(),
        "sort": sort,
        "sorts": lists.sort_links(request, AUDIT_SORTS, sort),
        "export_url": lists.export_url(request),
    }
    # a refused filter: the form says which field and why, and the answer is a 400
    return render(request, "audit/list.html", context, status=200 if valid else 400)


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    _form, qs, _valid = _audit_queryset(request)
    return audit_csv(qs)


def _json_text(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)[:JSON_CELL_MAX]


def _audit_xlsx(events: list[AuditEvent]) -> HttpResponse:
    """The filtered, sorted events as XLSX (EXPORT_LIMIT), with what the page shows (the actor's
    name, the channel's and action's labels, the object's name) beside the stored values; every
    text is a text cell, never a formula."""
    header = [
        "#",
        _("Time"),
        _("Actor"),
        _("Username"),
        _("Channel"),
        _("Action"),
        _("Action code"),
        _("Object"),
        _("Object name"),
        _("Object type"),
        _("Object id"),
        _("Project id"),
        _("Before"),
        _("After"),
        _("Hash"),
    ]
    rows = (
        [
            e.seq,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.actor_username,
            e.channel_label,
            str(e.action_label),
            e.action,
            str(e.object_type_label),
            e.object_name,
            e.object_type,
            e.object_id,
            e.project_id,
            _json_text(e.old),
            _json_text(e.new),
            e.hash,
        ]
        for e in with_object_labels(events)
    )
    return lists.xlsx_response("egovpm-audit.xlsx", header, rows)
