"""Budget endpoints (api.md "Budget"). Views translate; services and selectors decide.

Amounts in and out are decimal strings in yuan; a JSON number, an exponent, a sign or a third
decimal place is 400 (core.money.parse_amount). Ratios are exact decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.budgets import policies, selectors, services
from egovpm.budgets.choices import AdjustmentStatus, Reason, Route
from egovpm.budgets.errors import BudgetError
from egovpm.budgets.filters import AdjustmentFilter
from egovpm.budgets.models import Adjustment, Expenditure
from egovpm.budgets.xlsx import read_expenditures
from egovpm.core.api import Pagination, paginated
from egovpm.core.errors import CoreError, FieldError, InvalidInput
from egovpm.core.money import parse_amount
from egovpm.core.validators import LongText, ShortText, StrictDate, parse_as_of
from egovpm.projects import policies as project_policies
from egovpm.projects.errors import ProjectError
from egovpm.projects.models import Project
from egovpm.rules.facts_budgets import exact_ratio
from egovpm.web.inbox import kept_get


def _role(allowed: bool, message: BudgetError) -> None:
    """Scope 404 → role 403 → input 400 (domain.md §4 order): the role before any validation."""
    project_policies.require(allowed, message)


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{1,13}(\.[0-9]{1,2})?$", "example": "1200000.00"})
class AmountField(serializers.Field):
    """A yuan amount as api.md defines it: a string like "1200000.00" — nothing else."""

    default_error_messages = {
        "invalid": 'an amount is a string of yuan like "1200000.00" (no sign, no exponent, at most 2 places)'
    }

    def to_internal_value(self, data: Any) -> Decimal:
        try:
            return parse_amount(data)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: Any) -> str | None:
        return None if value is None else f"{Decimal(value):.2f}"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


DateStrictField = StrictDate  # YYYY-MM-DD in ASCII within 1990–2099 (core/validators.py)


# ------------------------------------------------------------------ estimate


class LineInSerializer(serializers.Serializer):
    code = ShortText(max_length=20)
    name = ShortText(max_length=200)
    amount = AmountField()


class EstimateIn(serializers.Serializer):
    total = AmountField()
    items = LineInSerializer(many=True)


class EstimateLineOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    baseline_amount = serializers.CharField(allow_null=True)
    current_amount = serializers.CharField()


class EstimateOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=["none", "draft", "approved"])
    total = serializers.CharField(allow_null=True, help_text="the draft's total before approval; B afterwards")
    baseline_total = serializers.CharField(allow_null=True)
    baseline_seq = serializers.IntegerField(allow_null=True)
    lines_sum = serializers.CharField()
    items = EstimateLineOut(many=True)
    self_adjusted_cumulative_ratio = serializers.CharField(allow_null=True)
    editable = serializers.BooleanField()


def estimate_payload(project: Project) -> dict[str, Any]:
    state = selectors.estimate_state(project=project)
    estimate = selectors.estimate_of(project)
    if state is None or estimate is None:
        return {
            "status": "none",
            "total": None,
            "baseline_total": None,
            "baseline_seq": None,
            "lines_sum": "0.00",
            "items": [],
            "self_adjusted_cumulative_ratio": None,
            "editable": True,
        }
    approved = state.baseline is not None
    return {
        "status": "approved" if approved else "draft",
        "total": _money(state.total),
        "baseline_total": _money(state.total) if approved else None,
        "baseline_seq": state.baseline.seq if state.baseline else None,
        "lines_sum": _money(sum((li.current_amount for li in state.lines), Decimal(0))),
        "items": [
            {
                "code": li.code,
                "name": li.name,
                "baseline_amount": _money(li.baseline_amount or Decimal(0)) if approved else None,
                "current_amount": _money(li.current_amount),
            }
            for li in state.lines
        ],
        "self_adjusted_cumulative_ratio": exact_ratio(state.cumulative_moved, state.total) if approved else None,
        "editable": not approved,
    }


class EstimateView(APIView):
    @extend_schema(responses={200: EstimateOut})
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id)
        return Response(estimate_payload(project))

    @extend_schema(request=EstimateIn, responses={200: EstimateOut})
    def put(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")  # 404 before any validation message
        _role(policies.may_edit_estimate(request.user, project), BudgetError.ESTIMATE_LEAD_ONLY)
        data = EstimateIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        estimate = services.estimate_put(
            actor=request.user,
            project_id=project_id,
            total=v["total"],
            items=[services.LineIn(i["code"], i["name"], i["amount"]) for i in v["items"]],
        )
        return Response(estimate_payload(estimate.project))


class BaselineLineOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    amount = AmountField()


class BaselineOut(serializers.Serializer):
    seq = serializers.IntegerField()
    total = AmountField()
    approved_on = StrictDate()
    # DRF's serializer metaclass collects declared fields, so this names the output field "source"
    # and does not replace Field.source; the stub cannot express that
    source = serializers.CharField()  # type: ignore[assignment]
    approval_reference = serializers.CharField()
    adjustment = serializers.SerializerMethodField()
    items = BaselineLineOut(source="lines", many=True)

    def get_adjustment(self, obj: Any) -> str | None:
        return str(obj.adjustment_id) if obj.adjustment_id else None


class BaselineListView(APIView):
    @extend_schema(responses={200: BaselineOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id)
        return paginated(request, self, selectors.baselines(project=project), BaselineOut)


# ------------------------------------------------------------------ adjustments


class AdjustmentItemIn(serializers.Serializer):
    code = ShortText(max_length=20)
    name = ShortText(max_length=200, required=False, allow_blank=True, default="")
    amount = AmountField()


class AdjustmentIn(serializers.Serializer):
    items = AdjustmentItemIn(many=True)
    goals_unchanged = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=Reason.values)
    description = LongText()
    changes_main_content = serializers.BooleanField(required=False, default=False)
    report_document = ShortText(required=False, allow_blank=True, allow_null=True, default=None)


class PreviewIn(serializers.Serializer):
    items = AdjustmentItemIn(many=True)
    goals_unchanged = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=Reason.values)


class PreviewOut(serializers.Serializer):
    route = serializers.CharField()
    moved = serializers.CharField()
    ratio = serializers.CharField()
    cumulative_ratio = serializers.CharField()
    failed = serializers.ListField(child=serializers.CharField())
    new_total = serializers.CharField()
    baseline_total = serializers.CharField()


class AdjustmentItemOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    old_amount = AmountField()
    new_amount = AmountField()
    is_new = serializers.BooleanField()


class AdjustmentOut(serializers.Serializer):
    id = serializers.CharField()
    project = serializers.CharField(source="project_id")
    number = serializers.IntegerField()
    status = serializers.CharField()
    route = serializers.CharField()
    requested_route = serializers.CharField()
    moved = AmountField()
    ratio = serializers.CharField()
    cumulative_ratio = serializers.CharField()
    failed = serializers.ListField(child=serializers.CharField())
    new_total = AmountField()
    baseline_total = AmountField()
    reason = serializers.CharField()
    goals_unchanged = serializers.BooleanField()
    changes_main_content = serializers.BooleanField()
    description = serializers.CharField()
    report_document = serializers.SerializerMethodField()
    items = AdjustmentItemOut(many=True)
    requested_by = serializers.CharField(source="requested_by.username")
    requested_at = serializers.DateTimeField()
    rerouted_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_on = StrictDate(allow_null=True)
    decision_comment = serializers.CharField()
    filed_on = StrictDate(allow_null=True)
    filing_document = serializers.SerializerMethodField()
    filing_reference = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)

    def get_report_document(self, obj: Adjustment) -> str | None:
        return str(obj.report_document_id) if obj.report_document_id else None

    def get_filing_document(self, obj: Adjustment) -> str | None:
        return str(obj.filing_document_id) if obj.filing_document_id else None

    def get_decided_by(self, obj: Adjustment) -> str | None:
        return obj.decided_by.username if obj.decided_by_id and obj.decided_by else None


def _items(v: dict[str, Any]) -> list[services.LineIn]:
    return [services.LineIn(i["code"], i.get("name") or "", i["amount"]) for i in v["items"]]


def _adjustment_out(adjustment: Adjustment) -> dict[str, Any]:
    fresh = selectors.adjustment_list(project=adjustment.project).get(pk=adjustment.pk)
    return dict(AdjustmentOut(fresh).data)


class AdjustmentListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("route", str, enum=Route.values, description="self_approval or ndrc_approval"),
            OpenApiParameter("status", str, enum=AdjustmentStatus.values, description="the request's status"),
            OpenApiParameter("department", str, description="lead department code"),
        ],
        responses={200: AdjustmentOut(many=True)},
    )
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id)
        # the adjustments' one FilterSet (budgets/filters.py), also the 概算调整 queue page's
        params = AdjustmentFilter(request.query_params, queryset=Adjustment.objects.none())
        if not params.is_valid():
            problems = {k: {"problem": "; ".join(map(str, v))} for k, v in params.errors.items()}
            raise InvalidInput(
                ProjectError.INVALID_FILTER,
                fields={k: FieldError(ProjectError.FILTER_VALUE, p) for k, p in problems.items()},
            )
        chosen = {k: v for k, v in params.form.cleaned_data.items() if v}
        qs = selectors.adjustment_list(project=project, params=chosen)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AdjustmentOut(page, many=True).data)

    @extend_schema(request=AdjustmentIn, responses={201: AdjustmentOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")
        _role(policies.may_request(request.user, project), BudgetError.REQUEST_LEAD_ONLY)
        data = AdjustmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        adjustment = services.adjustment_create(
            actor=request.user,
            project_id=project_id,
            items=_items(v),
            goals_unchanged=v["goals_unchanged"],
            reason=v["reason"],
            description=v["description"],
            changes_main_content=v["changes_main_content"],
            report_document=v.get("report_document") or None,
        )
        return Response(_adjustment_out(adjustment), status=status.HTTP_201_CREATED)


class AdjustmentPreviewView(APIView):
    """The route a request would take, computed without making it (the form's live preview)."""

    @extend_schema(request=PreviewIn, responses={200: PreviewOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")
        _role(policies.may_request(request.user, project), BudgetError.REQUEST_LEAD_ONLY)
        data = PreviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        r = services.adjustment_preview(
            actor=request.user,
            project_id=project_id,
            items=_items(v),
            goals_unchanged=v["goals_unchanged"],
            reason=v["reason"],
        ).result
        return Response(
            {
                "route": r.route,
                "moved": _money(r.moved),
                "ratio": r.ratio,
                "cumulative_ratio": r.cumulative_ratio,
                "failed": list(r.failed),
                "new_total": _money(r.new_total),
                "baseline_total": _money(r.baseline_total),
            }
        )


class AdjustmentDetailView(APIView):
    @extend_schema(responses={200: AdjustmentOut})
    def get(self, request: AuthenticatedRequest, adjustment_id: str) -> Response:
        return Response(_adjustment_out(selectors.adjustment_for(user=request.user, adjustment_id=adjustment_id)))


class DecideIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    comment = LongText(required=False, allow_blank=True, default="")
    approval_reference = ShortText(required=False, allow_blank=True, default="", max_length=100)


class AdjustmentDecideView(APIView):
    @extend_schema(request=DecideIn, responses={200: AdjustmentOut})
    def post(self, request: AuthenticatedRequest, adjustment_id: str) -> Response:
        services.decision_header(request.user, adjustment_id)  # 404 → 403 before validation
        data = DecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        adjustment = services.adjustment_decide(actor=request.user, adjustment_id=adjustment_id, **data.validated_data)
        return Response(_adjustment_out(adjustment))


class AdjustmentWithdrawView(APIView):
    @extend_schema(request=None, responses={200: AdjustmentOut})
    def post(self, request: AuthenticatedRequest, adjustment_id: str) -> Response:
        adjustment = services.adjustment_withdraw(actor=request.user, adjustment_id=adjustment_id)
        return Response(_adjustment_out(adjustment))


class FileIn(serializers.Serializer):
    filed_on = DateStrictField()
    document = ShortText()
    reference = ShortText(required=False, allow_blank=True, default="", max_length=100)


class AdjustmentFileView(APIView):
    @extend_schema(request=FileIn, responses={200: AdjustmentOut})
    def post(self, request: AuthenticatedRequest, adjustment_id: str) -> Response:
        header = selectors.adjustment_for(user=request.user, adjustment_id=adjustment_id)
        project_policies.require(policies.may_file(request.user, header.project), BudgetError.FILE_LEAD_ONLY)
        data = FileIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        adjustment = services.adjustment_file(
            actor=request.user,
            adjustment_id=adjustment_id,
            filed_on=v["filed_on"],
            document_id=v["document"],
            reference=v["reference"],
        )
        return Response(_adjustment_out(adjustment))


class AdjustmentAcknowledgeView(APIView):
    @extend_schema(request=None, responses={200: AdjustmentOut})
    def post(self, request: AuthenticatedRequest, adjustment_id: str) -> Response:
        adjustment = services.adjustment_acknowledge(actor=request.user, adjustment_id=adjustment_id)
        return Response(_adjustment_out(adjustment))


# ------------------------------------------------------------------ spending


class ExpenditureIn(serializers.Serializer):
    line = ShortText(max_length=20, help_text="the sub-project's code")
    spent_on = DateStrictField()
    amount = AmountField()
    voucher = ShortText(max_length=100)
    note = ShortText(required=False, allow_blank=True, default="", max_length=300)


class ExpenditureOut(serializers.Serializer):
    id = serializers.CharField()
    line = serializers.CharField(source="line.code")
    line_name = serializers.CharField(source="line.name")
    spent_on = StrictDate()
    amount = AmountField()
    voucher = serializers.CharField()
    note = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    recorded_at = serializers.DateTimeField()


class ExpenditureListView(APIView):
    @extend_schema(responses={200: ExpenditureOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id)
        qs = selectors.expenditure_list(project=project)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ExpenditureOut(page, many=True).data)

    @extend_schema(request=ExpenditureIn, responses={201: ExpenditureOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")
        _role(policies.may_record_spending(request.user, project), BudgetError.SPENDING_LEAD_ONLY)
        data = ExpenditureIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        expenditure = services.expenditure_add(
            actor=request.user,
            project_id=project_id,
            row=services.ExpenditureIn(v["line"], v["spent_on"], v["amount"], v["voucher"], v["note"]),
        )
        return Response(ExpenditureOut(expenditure).data, status=status.HTTP_201_CREATED)


class ImportIn(serializers.Serializer):
    file = serializers.FileField()


class ImportOut(serializers.Serializer):
    imported = serializers.IntegerField()
    results = ExpenditureOut(many=True)


class ExpenditureImportView(APIView):
    """XLSX bulk import: all rows or none; a bad file answers 400 with `details.rows` =
    [{"row": n, "errors": {column: message}}] and records nothing."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ImportIn}, responses={201: ImportOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")
        _role(policies.may_record_spending(request.user, project), BudgetError.SPENDING_LEAD_ONLY)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(BudgetError.XLSX_REQUIRED, fields={"file": FieldError(CoreError.REQUIRED)})
        created = services.expenditure_import(actor=request.user, project_id=project_id, rows=read_expenditures(upload))
        rows: list[Expenditure] = list(
            Expenditure.objects.filter(pk__in=[e.pk for e in created]).select_related("line", "recorded_by")
        )
        return Response(
            {"imported": len(rows), "results": ExpenditureOut(rows, many=True).data}, status=status.HTTP_201_CREATED
        )


class ExecutionItemOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    baseline_amount = AmountField(allow_null=True)
    current_amount = AmountField()
    spent = AmountField()
    execution_rate = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True, coerce_to_string=True)


class ExecutionOut(serializers.Serializer):
    as_of = StrictDate(allow_null=True)
    items = ExecutionItemOut(many=True)
    total_baseline = AmountField(allow_null=True)
    total_current = AmountField()
    total_spent = AmountField()
    execution_rate = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True, coerce_to_string=True)


class BudgetExecutionView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD: spending dated on or before it")],
        responses={200: ExecutionOut},
    )
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id)
        as_of = parse_as_of(request.query_params.get("as_of"))
        data = selectors.budget_execution(project=project, as_of=as_of)
        return Response(ExecutionOut({**data, "as_of": as_of}).data)
