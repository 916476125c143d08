from __future__ import annotations

import csv
import datetime as dt

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.audit.errors import AuditError
from egovpm.audit.models import AuditEvent
from egovpm.audit.policies import can_read_audit_log
from egovpm.audit.selectors import audit_events
from egovpm.core.api import Pagination
from egovpm.core.errors import Forbidden
from egovpm.core.exports import csv_cell
from egovpm.core.validators import parse_as_of


class AuditEventOut(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "actor_username",
            "channel",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "project_id",
            "old",
            "new",
            "hash",
        ]


FILTERS = [OpenApiParameter(n, str) for n in ("actor", "action", "object_type", "project_id", "date_from", "date_to")]


def filtered(request: Request) -> QuerySet[AuditEvent]:
    if not can_read_audit_log(request.user):
        raise Forbidden(AuditError.AUDIT_ADMIN_ONLY)
    params = request.query_params
    dates: dict[str, dt.date | None] = {}
    for name in ("date_from", "date_to"):
        if params.get(name):
            dates[name] = parse_as_of(params[name], name)  # the shared strict date rule
    return audit_events(
        actor=params.get("actor", ""),
        action=params.get("action", ""),
        object_type=params.get("object_type", ""),
        project_id=params.get("project_id", ""),
        **dates,
    )


class AuditListView(APIView):
    administrators_allowed = True  # the audit administrator's duty (accounts/permissions.py)

    @extend_schema(parameters=FILTERS, responses={200: AuditEventOut(many=True)})
    def get(self, request: Request) -> Response:
        qs = filtered(request)
        paginator = Pagination()
        page: list[AuditEvent] | None = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AuditEventOut(page, many=True).data)


# A CSV cell a spreadsheet will not execute (the shared helper of every export: egovpm.core.exports)
_cell = csv_cell


def audit_csv(qs: QuerySet[AuditEvent]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="egovpm-audit.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Chinese correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            "seq",
            "at",
            "actor",
            "channel",
            "action",
            "object_type",
            "object_id",
            "object",
            "project_id",
            "old",
            "new",
            "hash",
        ]
    )
    for e in qs.iterator():
        writer.writerow(
            [
                _cell(v)
                for v in (
                    e.seq,
                    e.at.isoformat(),
                    e.actor_username,
                    e.channel,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.project_id,
                    e.old,
                    e.new,
                    e.hash,
                )
            ]
        )
    return response


class AuditExportView(APIView):
    administrators_allowed = True  # the audit administrator's duty (accounts/permissions.py)

    @extend_schema(parameters=FILTERS, responses={(200, "text/csv"): bytes})
    def get(self, request: Request) -> HttpResponse:
        return audit_csv(filtered(request))
