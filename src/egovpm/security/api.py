"""Information systems, network exceptions and risk assessments over HTTP (api.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import Pagination
from egovpm.core.errors import CoreError, FieldError, InvalidInput
from egovpm.core.validators import LongText, ShortText, StrictDate
from egovpm.projects import policies as project_policies
from egovpm.security import policies, selectors, services
from egovpm.security.choices import ClassifiedTier, EvaluationResult, Network, Purpose
from egovpm.security.errors import SecurityError
from egovpm.security.models import InformationSystem, RiskAssessment
from egovpm.web.inbox import kept_get


class SystemIn(serializers.Serializer):
    name = ShortText(max_length=200)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    network = serializers.ChoiceField(choices=Network.choices)
    is_new = serializers.BooleanField()
    protection_level = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    classified_tier = serializers.ChoiceField(choices=ClassifiedTier.choices, required=False, allow_blank=True)
    protection_in_needs_analysis = serializers.BooleanField()
    protection_in_design = serializers.BooleanField()
    filing_number = ShortText(max_length=100, required=False, allow_blank=True)
    filing_date = StrictDate(required=False, allow_null=True)
    evaluation_date = StrictDate(required=False, allow_null=True)
    evaluation_result = serializers.ChoiceField(choices=EvaluationResult.choices, required=False, allow_blank=True)
    migration_target_date = StrictDate(required=False, allow_null=True)


class SystemPatch(SystemIn):
    version = serializers.IntegerField(required=False, help_text="the version you edited; 409 if it moved on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class SystemOut(serializers.ModelSerializer):
    project = serializers.CharField(source="project_id")
    network_exception = serializers.SerializerMethodField()

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "project",
            "name",
            "purpose",
            "network",
            "is_new",
            "protection_level",
            "classified_tier",
            "protection_in_needs_analysis",
            "protection_in_design",
            "filing_number",
            "filing_date",
            "evaluation_date",
            "evaluation_result",
            "migration_target_date",
            "network_exception",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_network_exception(self, obj: InformationSystem) -> dict[str, Any] | None:
        if obj.exception_at is None:
            return None
        return {
            "reason": obj.exception_reason,
            "granted_by": obj.exception_by.username if obj.exception_by else None,
            "granted_at": serializers.DateTimeField().to_representation(obj.exception_at),
        }


class ExceptionIn(serializers.Serializer):
    reason = LongText()


class RiskAssessmentIn(serializers.Serializer):
    assessed_on = StrictDate()
    assessor = ShortText(max_length=200)
    summary = LongText()
    residual_risks = LongText(required=False, allow_blank=True, default="")
    document = ShortText(required=False, allow_null=True, help_text="id of a risk_assessment_report")


class RiskAssessmentOut(serializers.ModelSerializer):
    project = serializers.CharField(source="project_id")
    document = serializers.CharField(source="document_id", allow_null=True)
    recorded_by = serializers.CharField(source="created_by.username")
    recorded_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "project",
            "assessed_on",
            "assessor",
            "summary",
            "residual_risks",
            "document",
            "recorded_by",
            "recorded_at",
        ]


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class SystemListView(APIView):
    @extend_schema(responses={200: SystemOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        qs = selectors.system_list(user=request.user, project_id=project_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(SystemOut(page, many=True).data)

    @extend_schema(request=SystemIn, responses={201: SystemOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")  # 404, then 403, then 400
        project_policies.require(
            policies.may_edit_systems(request.user, project), SecurityError.RECORD_SYSTEMS_LEAD_ONLY
        )
        data = _valid(SystemIn(data=request.data))
        system = services.system_create(actor=request.user, project_id=project.pk, data=data)
        return Response(SystemOut(system).data, status=status.HTTP_201_CREATED)


class SystemDetailView(APIView):
    @extend_schema(responses={200: SystemOut})
    def get(self, request: AuthenticatedRequest, system_id: str) -> Response:
        return Response(SystemOut(selectors.system_for(user=request.user, system_id=system_id)).data)

    @extend_schema(request=SystemPatch, responses={200: SystemOut})
    def patch(self, request: AuthenticatedRequest, system_id: str) -> Response:
        system = selectors.system_for(user=request.user, system_id=system_id)  # 404, then 403, then 400
        project_policies.require(
            policies.may_edit_systems(request.user, system.project),
            SecurityError.EDIT_SYSTEMS_LEAD_ONLY,
        )
        unknown = set(request.data) - set(SystemPatch().fields)
        if unknown:
            raise InvalidInput(
                SecurityError.UNKNOWN_FIELDS,
                {"fields": ", ".join(sorted(unknown))},
                fields={f: FieldError(CoreError.UNKNOWN_FIELD) for f in sorted(unknown)},
            )
        data = _valid(SystemPatch(data=request.data))
        version = data.pop("version", None)
        system = services.system_update(actor=request.user, system_id=system_id, changes=data, expected_version=version)
        return Response(SystemOut(system).data)


class SystemExceptionView(APIView):
    @extend_schema(request=ExceptionIn, responses={200: SystemOut})
    def post(self, request: AuthenticatedRequest, system_id: str) -> Response:
        selectors.system_for(user=request.user, system_id=system_id)
        project_policies.require(policies.may_grant_exception(request.user), SecurityError.EXCEPTIONS_NDRC_ONLY)
        data = _valid(ExceptionIn(data=request.data))
        system = services.system_grant_exception(actor=request.user, system_id=system_id, reason=data["reason"])
        return Response(SystemOut(system).data)


class RiskAssessmentListView(APIView):
    @extend_schema(responses={200: RiskAssessmentOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        qs = selectors.risk_assessment_list(user=request.user, project_id=project_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RiskAssessmentOut(page, many=True).data)

    @extend_schema(request=RiskAssessmentIn, responses={201: RiskAssessmentOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")
        project_policies.require(
            policies.may_record_assessment(request.user, project), SecurityError.ASSESSMENTS_LEAD_ONLY
        )
        data = _valid(RiskAssessmentIn(data=request.data))
        assessment = services.risk_assessment_record(actor=request.user, project_id=project.pk, **data)
        return Response(RiskAssessmentOut(assessment).data, status=status.HTTP_201_CREATED)
