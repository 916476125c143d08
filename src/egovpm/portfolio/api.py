"""The portfolio over HTTP (api.md "Department record and portfolio"): `GET /portfolio/summary`.
Views translate; selectors decide (docs/portfolio.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core import clock, validators
from egovpm.portfolio import exports, selectors
from egovpm.projects.api import LIST_FILTER_PARAMS
from egovpm.projects.filters import list_params

AMOUNT = "yuan, a decimal string with two places"


class ProjectsOut(serializers.Serializer):
    total = serializers.IntegerField()
    by_stage = serializers.DictField(child=serializers.IntegerField(), help_text="stage code → projects")
    by_department = serializers.DictField(child=serializers.IntegerField(), help_text="lead department code → projects")
    by_year = serializers.DictField(
        child=serializers.IntegerField(), help_text="year the project was created (Beijing) → projects"
    )


class MoneyOut(serializers.Serializer):
    baseline = serializers.CharField(help_text=f"Σ approved baseline in force, {AMOUNT}")
    current = serializers.CharField(help_text=f"Σ current estimate (effective line amounts), {AMOUNT}")
    spent = serializers.CharField(help_text=f"Σ recorded spending dated by as_of, {AMOUNT}")


class InvestmentOut(MoneyOut):
    by_department = serializers.DictField(child=MoneyOut(), help_text="lead department code → the three sums")


class ReportsOut(serializers.Serializer):
    due = serializers.IntegerField(help_text="obligations awaiting their report, not past due")
    overdue = serializers.IntegerField(help_text="obligations past due without a report")
    late = serializers.IntegerField(help_text="reports submitted after their due date")


class RectificationsOut(serializers.Serializer):
    open = serializers.IntegerField(allow_null=True, help_text="null: inspections are not recorded yet")
    overdue = serializers.IntegerField(allow_null=True, help_text="null: inspections are not recorded yet")


class HealthOut(serializers.Serializer):
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()


class DeliveryOut(serializers.Serializer):
    service_outsourcing = serializers.IntegerField()
    data_hosting = serializers.IntegerField()


class ClauseOut(serializers.Serializer):
    failures = serializers.IntegerField()
    rules = serializers.DictField(child=serializers.IntegerField())


class BehindOut(serializers.Serializer):
    reports = ReportsOut(help_text="projects with at least one obligation due, overdue, late: `?report=`")
    adjustments = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="route → state → projects with at least one such request: `?adjustment=route:state`",
    )
    post_evaluations = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="conclusion → projects so evaluated by as_of: `?post_evaluation=`; null: not recorded",
    )
    rectifications = RectificationsOut(
        allow_null=True, help_text="projects with at least one item open, overdue: `?rectification=`"
    )


class SummaryOut(serializers.Serializer):
    as_of = serializers.DateField()
    projects = ProjectsOut()
    departments = serializers.DictField(child=serializers.CharField(), help_text="department code → name")
    investment = InvestmentOut()
    reports = ReportsOut()
    rectifications = RectificationsOut()
    adjustments = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="budget adjustment requests: route → state → n",
    )
    rules_failing = serializers.DictField(
        child=serializers.IntegerField(), help_text="rule id → projects failing it (pack order)"
    )
    rules_by_clause = serializers.DictField(child=ClauseOut(), help_text="clause 一 … 十一 → failures and rules")
    health = HealthOut()
    health_disagreements = serializers.IntegerField(
        help_text="red or amber projects whose latest report assesses itself on track"
    )
    disagreements = serializers.ListField(
        child=serializers.DictField(),
        help_text="the worst 20 of them: code, name, health, bad, warn (red first, more failures first)",
    )
    procurement_shares = serializers.JSONField(allow_null=True, help_text="null: procurement is not recorded yet")
    post_evaluations = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="post-evaluations dated on or before as_of: conclusion → n; null: not recorded",
    )
    delivery_modes = DeliveryOut()
    projects_behind = BehindOut(
        help_text="for the figures that count records: the projects behind each, the rows of its drill-down"
    )


PARAMS = [
    OpenApiParameter(
        "as_of",
        str,
        description="YYYY-MM-DD; today in Beijing when absent (another date: at most 2,000 projects in scope)",
    ),
    OpenApiParameter("department", str, description="lead or participating department code"),
    OpenApiParameter("stage", str, description="stage code, or several separated by commas"),
    OpenApiParameter("year", int, description="the year (Beijing) the project was created"),
]


def summary_args(request: AuthenticatedRequest) -> dict[str, Any]:
    q = request.query_params
    return {
        "user": request.user,
        "as_of": validators.parse_as_of(q.get("as_of")),
        "department": q.get("department", ""),
        "stage": q.get("stage", ""),
        "year": q.get("year"),
    }


def summary_body(data: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "projects",
        "departments",
        "investment",
        "reports",
        "rectifications",
        "adjustments",
        "rules_failing",
        "rules_by_clause",
        "health",
        "health_disagreements",
        "disagreements",
        "procurement_shares",
        "post_evaluations",
        "delivery_modes",
        "projects_behind",
    )
    return {"as_of": data["as_of"].isoformat(), **{k: data[k] for k in keys}}


class SummaryView(APIView):
    @extend_schema(parameters=PARAMS, responses={200: SummaryOut})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The cockpit's figures (domain.md §13), scoped to the caller: NDRC and MoF see every project,
        a department its own (lead or participating). Each figure is a filter of the project list
        (`GET /projects?health=red`, `?rule=C4.1`, `?stage=&lead_department=&year=`, `?report=overdue`,
        `?adjustment=route:state`, `?post_evaluation=`; on a past date with the same `as_of`) whose
        rows are exactly the projects it counts (`projects_behind` for the figures that count records)."""
        return Response(summary_body(selectors.summary(**summary_args(request))))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_attachment(content: bytes) -> HttpResponse:
    """The export as a download named 项目列表-<date>.xlsx (RFC 6266 filename* for the Chinese)."""
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX)
    day = clock.today().isoformat()
    name = quote(f"项目列表-{day}.xlsx")
    response["Content-Disposition"] = f"attachment; filename=\"projects-{day}.xlsx\"; filename*=UTF-8''{name}"
    return response


class ProjectExportView(APIView):
    @extend_schema(parameters=LIST_FILTER_PARAMS, responses={(200, XLSX): OpenApiResponse(description="XLSX")})
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        """The project list with the same filters as `GET /projects` (every row, not a page) as XLSX:
        every text cell is text, never a formula."""
        params = list_params(request.query_params)
        return xlsx_attachment(exports.render_xlsx(exports.export_rows(user=request.user, **params)))
