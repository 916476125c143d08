"""The procurement register, its XLSX import and template, the 自主可控 shares and the delivery
modes over HTTP (api.md "Procurement and delivery modes"). Views translate; services and
selectors decide."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import Pagination
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput
from egovpm.core.validators import LongText, ShortText
from egovpm.procurement import policies, selectors, services, xlsx
from egovpm.procurement.choices import Category, DeliveryModeKind, Method
from egovpm.procurement.errors import ProcurementError
from egovpm.procurement.models import DeliveryMode, Procurement
from egovpm.projects import policies as project_policies
from egovpm.web.inbox import kept_get

AMOUNT_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"


class ProcurementIn(serializers.Serializer):
    """The body of POST /projects/{id}/procurements (and, every field optional, of PATCH)."""

    category = serializers.ChoiceField(choices=Category.choices)
    method = serializers.ChoiceField(choices=Method.choices)
    subject = ShortText(max_length=300)
    amount = ShortText(max_length=16, validators=[RegexValidator(AMOUNT_PATTERN)])
    supplier = ShortText(max_length=200)
    supplier_credit_code = ShortText(min_length=18, max_length=18)
    contract_no = ShortText(max_length=100)
    contract_date = serializers.DateField()
    secure_controllable = serializers.BooleanField()
    secure_controllable_basis = LongText(required=False, allow_blank=True)
    evidence = serializers.UUIDField(required=False, allow_null=True)
    estimate_line = ShortText(required=False, allow_blank=True, max_length=20)
    non_tender_reason = LongText(required=False, allow_blank=True)


class ProcurementPatch(ProcurementIn):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False


class ProcurementOut(serializers.ModelSerializer):
    project = serializers.CharField(source="project_id")
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, coerce_to_string=True)
    evidence = serializers.UUIDField(source="evidence_id", allow_null=True)

    class Meta:
        model = Procurement
        fields = ["id", "project", *services.FIELDS, "created_at", "updated_at"]


class TotalsOut(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.CharField()
    count_secure = serializers.IntegerField()
    amount_secure = serializers.CharField()


class ProcurementListOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProcurementOut(many=True)
    totals = TotalsOut()


class FiguresOut(serializers.Serializer):
    amount_total = serializers.CharField()
    amount_secure = serializers.CharField()
    amount_share = serializers.CharField(allow_null=True)
    count_total = serializers.IntegerField()
    count_secure = serializers.IntegerField()
    count_share = serializers.CharField(allow_null=True)


SharesOut = inline_serializer(
    "ProcurementShares",
    fields={
        "categories": serializers.DictField(child=FiguresOut(), help_text="one entry per category, always all six"),
        "key_total": FiguresOut(),
    },
)


class ProcurementImportIn(serializers.Serializer):
    file = serializers.FileField()


class ProcurementImportOut(serializers.Serializer):
    created = serializers.IntegerField()


class ModeIn(serializers.Serializer):
    mode = serializers.ChoiceField(choices=DeliveryModeKind.choices)
    provider = ShortText(max_length=200)
    scope = LongText(max_length=2000)
    contract_reference = ShortText(max_length=200, required=False, allow_blank=True)


class ModesIn(serializers.Serializer):
    modes = ModeIn(many=True)


class ModeOut(serializers.ModelSerializer):
    class Meta:
        model = DeliveryMode
        fields = ["mode", "provider", "scope", "contract_reference"]


class ModesOut(serializers.Serializer):
    modes = ModeOut(many=True)


def _body(request: AuthenticatedRequest) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise InvalidInput(CoreError.JSON_NOT_OBJECT)
    return dict(data)


class ProcurementListView(APIView):
    @extend_schema(responses={200: ProcurementListOut})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """The project's procurement register, paged, with the totals of the whole register."""
        project = project_policies.project_for(request.user, project_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.procurement_list(project=project), request, view=self)
        response = paginator.get_paginated_response(ProcurementOut(page, many=True).data)
        response.data["totals"] = selectors.procurement_totals(project=project)
        return response

    @extend_schema(request=ProcurementIn, responses={201: ProcurementOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """Record a procurement (the lead department, until completion acceptance)."""
        p = services.procurement_create(actor=request.user, project_id=project_id, data=_body(request))
        return Response(ProcurementOut(p).data, status=status.HTTP_201_CREATED)


class ProcurementDetailView(APIView):
    @extend_schema(request=ProcurementPatch, responses={200: ProcurementOut})
    def patch(self, request: AuthenticatedRequest, procurement_id: str) -> Response:
        """Correct a procurement (audited with old and new values); 409 `frozen` after completion."""
        p = services.procurement_update(actor=request.user, procurement_id=procurement_id, data=_body(request))
        return Response(ProcurementOut(p).data)

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, procurement_id: str) -> Response:
        """Remove a procurement; 409 `frozen` after completion acceptance."""
        services.procurement_delete(actor=request.user, procurement_id=procurement_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProcurementImportView(APIView):
    """XLSX import: all rows or none; a bad file answers 400 with `details.rows` =
    [{"row": n, "errors": {field: message}}] listing every error of every bad row."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ProcurementImportIn}, responses={200: ProcurementImportOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")
        project_policies.require(policies.may_write(request.user, project), ProcurementError.LEAD_ONLY)
        if policies.is_frozen(project):  # before reading the file
            raise Conflict(ProcurementError.FROZEN)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(ProcurementError.FILE_REQUIRED, fields={"file": FieldError(CoreError.REQUIRED)})
        rows = xlsx.read_procurements(upload)
        created = services.procurement_import(actor=request.user, project_id=project.pk, rows=rows)
        return Response({"created": created})


class ProcurementTemplateView(APIView):
    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    def get(self, request: AuthenticatedRequest, project_id: str) -> HttpResponse:
        """The XLSX template of the import (header, an example row, drop-down lists)."""
        project_policies.project_for(request.user, project_id)
        response = HttpResponse(
            xlsx.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="procurement-template.xlsx"'
        return response


class ProjectSharesView(APIView):
    @extend_schema(responses={200: SharesOut})
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """自主可控 shares of the project by category and for the five key categories together."""
        project = project_policies.project_for(request.user, project_id)
        return Response(selectors.project_shares(project=project))


class DepartmentSharesView(APIView):
    @extend_schema(responses={200: SharesOut})
    def get(self, request: AuthenticatedRequest, code: str) -> Response:
        """自主可控 shares over every project the department leads: NDRC, MoF and the department itself."""
        department = selectors.department_for(user=request.user, code=code)
        return Response(selectors.department_shares(department=department))


class DeliveryModesView(APIView):
    @extend_schema(request=ModesIn, responses={200: ModesOut})
    def put(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """Replace the project's delivery modes (service outsourcing, data hosting)."""
        body = _body(request)
        unknown = {k: FieldError(CoreError.UNKNOWN_FIELD) for k in body if k != "modes"}
        if unknown:
            project_policies.project_for(request.user, project_id, "write")
            raise InvalidInput(ProcurementError.MODES_NOT_SET, fields=unknown)
        rows = services.delivery_modes_set(actor=request.user, project_id=project_id, modes=body.get("modes"))
        return Response({"modes": ModeOut(rows, many=True).data})
