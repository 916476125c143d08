"""The department record over HTTP (api.md "Department record and portfolio"):
`GET /departments/{code}/record?as_of=date`. NDRC, MoF and the department's own staff and leaders;
anyone else — and an unknown code — 404. Views translate; portfolio/record.py decides."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core import validators
from egovpm.portfolio import record
from egovpm.portfolio.api import ReportsOut

NOT_RECORDED = "null: the module holding these records is not installed yet (never an invented number)"
SHARE = "an exact decimal string in [0, 1], or null where there is nothing to divide"


class RecordDepartmentOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class RecordProjectOut(serializers.Serializer):
    id = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField(help_text="the stage on as_of")


class RecordProjectsOut(serializers.Serializer):
    total = serializers.IntegerField(help_text="projects the department leads (that existed on as_of)")
    by_stage = serializers.DictField(child=serializers.IntegerField(), help_text="stage code → projects (none: absent)")
    results = RecordProjectOut(
        many=True, help_text=f"the first {record.PROJECTS_SHOWN} by code; GET /projects?department=CODE lists all"
    )


class ClauseRulesOut(serializers.Serializer):
    failures = serializers.IntegerField(help_text="Σ projects failing each rule of the clause")
    rules = serializers.DictField(child=serializers.IntegerField(), help_text="rule id → projects failing it")


class RecordRulesOut(serializers.Serializer):
    projects_failing = serializers.IntegerField(help_text="projects failing at least one rule")
    failures = serializers.IntegerField(help_text="Σ over the rules of the projects failing each")
    by_clause = serializers.DictField(child=ClauseRulesOut(), help_text="clause 一 … 十一 with a failing rule")


class OverdueReportOut(serializers.Serializer):
    id = serializers.CharField(help_text="the project")
    code = serializers.CharField()
    name = serializers.CharField()
    period = serializers.CharField(help_text="2025-H1 or 2025")
    due = serializers.DateField()


class RecordReportsOut(ReportsOut):
    overdue_items = OverdueReportOut(many=True, help_text=f"the {record.OVERDUE_SHOWN} oldest overdue obligations")


class ShareOut(serializers.Serializer):
    amount_total = serializers.CharField(help_text="Σ amount, yuan")
    amount_secure = serializers.CharField(help_text="Σ amount of the 自主可控 items, yuan")
    amount_share = serializers.CharField(allow_null=True, help_text=SHARE)
    count_total = serializers.IntegerField()
    count_secure = serializers.IntegerField()
    count_share = serializers.CharField(allow_null=True, help_text=SHARE)


class SharesOut(serializers.Serializer):
    categories = serializers.DictField(child=ShareOut(), help_text="category → its shares (the five key ones, other)")
    key_total = ShareOut(help_text="the five key categories together")


class OverdueItemOut(serializers.Serializer):
    id = serializers.CharField(help_text="the rectification item")
    project = serializers.CharField()
    project_code = serializers.CharField()
    reference = serializers.CharField(help_text="the inspection's reference")
    finding = serializers.IntegerField(help_text="the finding's number in the inspection")
    due_date = serializers.DateField()


class RecordRectificationsOut(serializers.Serializer):
    open = serializers.IntegerField(help_text="items not closed on as_of")
    overdue = serializers.IntegerField(help_text="open items past their due date on as_of")
    overdue_items = OverdueItemOut(many=True, help_text=f"the {record.OVERDUE_SHOWN} oldest overdue items")


class RecordEvaluationOut(serializers.Serializer):
    project = serializers.CharField()
    project_code = serializers.CharField()
    project_name = serializers.CharField()
    evaluated_on = serializers.DateField()
    conclusion = serializers.ChoiceField(
        choices=["successful", "mostly_successful", "partly_successful", "unsuccessful"]
    )
    efficiency = serializers.CharField(help_text="operational efficiency score, a decimal string 0–100")
    effect = serializers.CharField(help_text="usage effect score, a decimal string 0–100")


class EvaluationsOut(serializers.Serializer):
    count = serializers.IntegerField(help_text="post-evaluations dated by as_of")
    by_conclusion = serializers.DictField(child=serializers.IntegerField(), help_text="conclusion → n")
    results = RecordEvaluationOut(many=True, help_text=f"the latest {record.EVALUATIONS_SHOWN}")


class RecordOut(serializers.Serializer):
    department = RecordDepartmentOut()
    as_of = serializers.DateField()
    today = serializers.BooleanField(
        help_text="true: read from the stored verdicts and obligations; false: judged from the records dated by as_of"
    )
    projects = RecordProjectsOut()
    rules_failing = RecordRulesOut()
    reports = RecordReportsOut()
    adjustments = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="budget adjustment requests made by as_of: route → state → n",
    )
    procurement_shares = SharesOut(allow_null=True, help_text=f"自主可控 shares (domain.md §11.1); {NOT_RECORDED}")
    rectifications = RecordRectificationsOut(
        allow_null=True, help_text=f"rectification items open and overdue (§11.3); {NOT_RECORDED}"
    )
    post_evaluations = EvaluationsOut(allow_null=True, help_text=f"post-evaluation conclusions; {NOT_RECORDED}")


def record_body(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "as_of": data["as_of"].isoformat()}


class DepartmentRecordView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                str,
                description="YYYY-MM-DD; today in Beijing when absent. Another date is judged from the records "
                f"dated on or before it (at most {record.PAST_AS_OF_MAX_PROJECTS} projects)",
            )
        ],
        responses={200: RecordOut},
    )
    def get(self, request: AuthenticatedRequest, code: str) -> Response:
        """The department record (履约档案, domain.md §11.4): the projects the department leads by
        stage, their failing rules by clause, overdue reports, adjustments by route and state,
        procurement shares, rectification items and post-evaluation conclusions. NDRC, MoF and the
        department itself; anyone else 404."""
        as_of = validators.parse_as_of(request.query_params.get("as_of"))
        return Response(record_body(record.record(user=request.user, code=code, as_of=as_of)))
