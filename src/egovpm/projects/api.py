"""Projects and lifecycle over HTTP (api.md). Views translate; services and selectors decide."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core import clock
from egovpm.core.api import KeysetPagination, iso_datetime, paginated
from egovpm.core.errors import NotFound
from egovpm.core.validators import LongText, ShortText, StrictDate, parse_as_of
from egovpm.core.views import language_of
from egovpm.projects import policies, selectors, services, stored
from egovpm.projects.choices import TRANSITIONS, AssignmentTask
from egovpm.projects.errors import ProjectError
from egovpm.projects.filters import list_params
from egovpm.projects.models import Project
from egovpm.web.inbox import kept_get


class LeaderSerializer(serializers.Serializer):
    name = ShortText(allow_blank=True, max_length=100)
    title = ShortText(allow_blank=True, max_length=100, required=False, default="")


class ProjectIn(serializers.Serializer):
    name = ShortText(max_length=200)
    lead_department = ShortText()
    participating_departments = serializers.ListField(child=ShortText(), required=False, default=list)
    joint_central_local = serializers.BooleanField(required=False, default=False)
    responsible_leader = LeaderSerializer(required=False)
    business_unit = ShortText(required=False, allow_blank=True, max_length=200)
    technical_unit = ShortText(required=False, allow_blank=True, max_length=200)
    construction_goals = LongText(required=False, allow_blank=True)
    main_content = LongText(required=False, allow_blank=True)
    service_outsourcing = serializers.BooleanField(required=False)
    data_hosting = serializers.BooleanField(required=False)
    code = ShortText(required=False, allow_blank=True)


class ProjectPatch(serializers.Serializer):
    name = ShortText(required=False, max_length=200)
    participating_departments = serializers.ListField(child=ShortText(), required=False)
    joint_central_local = serializers.BooleanField(required=False)
    responsible_leader = LeaderSerializer(required=False)
    business_unit = ShortText(required=False, allow_blank=True, max_length=200)
    technical_unit = ShortText(required=False, allow_blank=True, max_length=200)
    construction_goals = LongText(required=False, allow_blank=True)
    main_content = LongText(required=False, allow_blank=True)
    service_outsourcing = serializers.BooleanField(required=False)
    data_hosting = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, help_text="the version you edited; 409 if it moved on")


def _flatten_leader(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    leader = data.pop("responsible_leader", None)
    if leader is not None:
        data["responsible_leader_name"] = leader.get("name", "")
        data["responsible_leader_title"] = leader.get("title", "")
    return data


class ProjectOut(serializers.Serializer):
    id = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    regime = serializers.CharField()
    stage = serializers.CharField()
    lead_department = serializers.CharField(source="lead_department.code")
    participating_departments = serializers.SerializerMethodField()
    joint_central_local = serializers.BooleanField()
    responsible_leader = serializers.SerializerMethodField()
    business_unit = serializers.CharField()
    technical_unit = serializers.CharField()
    construction_goals = serializers.CharField()
    main_content = serializers.CharField()
    service_outsourcing = serializers.BooleanField()
    data_hosting = serializers.BooleanField()
    completion_entrusted = serializers.BooleanField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_participating_departments(self, obj: Project) -> list[str]:
        return sorted(p.department.code for p in obj.participations.all())

    def get_responsible_leader(self, obj: Project) -> dict[str, str]:
        return {"name": obj.responsible_leader_name, "title": obj.responsible_leader_title}


def _detail(project_id: Any, user: User) -> dict[str, Any]:
    project = (
        policies.restrict(user, "summary")
        .select_related("lead_department")
        .prefetch_related("participations__department")
        .get(pk=project_id)
    )
    return dict(ProjectOut(project).data)


# The list's columns, read with .values() (no model instances): what ProjectOut outputs.
LIST_COLUMNS = (
    "id",
    "code",
    "regime",
    "stage",
    "lead_department__code",
    *services.EDITABLE_TEXT,
    *services.EDITABLE_BOOL,
    *services.DERIVED_BOOL,
    "completion_entrusted",
    "version",
    "created_at",
    "updated_at",
    "participating",  # selectors.ParticipatingCodes, annotated
)


def _list_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's rows exactly as ProjectOut renders them (tests/projects/test_list_scale.py
    compares the two), built from .values() rows: a serializer per row cost more than the query."""
    zone = timezone.get_current_timezone()
    return [
        {
            "id": str(r["id"]),
            "code": r["code"],
            "name": r["name"],
            "regime": r["regime"],
            "stage": r["stage"],
            "lead_department": r["lead_department__code"],
            "participating_departments": selectors.split_codes(r["participating"]),
            "joint_central_local": r["joint_central_local"],
            "responsible_leader": {"name": r["responsible_leader_name"], "title": r["responsible_leader_title"]},
            "business_unit": r["business_unit"],
            "technical_unit": r["technical_unit"],
            "construction_goals": r["construction_goals"],
            "main_content": r["main_content"],
            "service_outsourcing": r["service_outsourcing"],
            "data_hosting": r["data_hosting"],
            "completion_entrusted": r["completion_entrusted"],
            "version": r["version"],
            "created_at": iso_datetime(r["created_at"], zone),
            "updated_at": iso_datetime(r["updated_at"], zone),
        }
        for r in rows
    ]


# The list's filters (filters.list_params), documented once: the list and its XLSX export
# (portfolio/api.py) take the same.
LIST_FILTER_PARAMS = [
    OpenApiParameter("stage", str, description="stage code, or several separated by commas"),
    OpenApiParameter("department", str, description="lead or participating department code"),
    OpenApiParameter("q", str, description="search in name and code"),
    OpenApiParameter("health", str, enum=["red", "amber", "green"], description="stored compliance health"),
    OpenApiParameter("rule", str, description="a rule id of the packs (e.g. C4.1): the projects failing it"),
    OpenApiParameter("year", int, description="the year of the project code (YYYY-…)"),
    OpenApiParameter(
        "delivery_mode",
        str,
        enum=["service_outsourcing", "data_hosting"],
        description="the projects that record that delivery mode",
    ),
    OpenApiParameter("lead_department", str, description="lead department code (not a participating one)"),
    OpenApiParameter(
        "report",
        str,
        enum=["due", "overdue", "late"],
        description="the projects with at least one report obligation in that state (the stored obligations)",
    ),
    OpenApiParameter(
        "adjustment",
        str,
        description="`route:state` (e.g. `ndrc_approval:pending`): the projects with at least one budget adjustment so",
    ),
    OpenApiParameter(
        "post_evaluation",
        str,
        description="a conclusion: the projects with at least one post-evaluation so concluded (dated by as_of)",
    ),
    OpenApiParameter(
        "rectification",
        str,
        enum=["open", "overdue"],
        description="the projects with at least one rectification item open / overdue (inspections)",
    ),
    OpenApiParameter(
        "as_of",
        str,
        description="YYYY-MM-DD: the projects that existed at the end of that day, the filters stage, health, "
        "rule, delivery_mode, report, adjustment, post_evaluation and rectification as they stood then "
        "(another date than today: "
        "at most 2,000 projects in scope, else 400 portfolio_past_as_of_too_wide)",
    ),
]


class ProjectListView(APIView):
    @extend_schema(
        parameters=[
            *LIST_FILTER_PARAMS,
            OpenApiParameter("cursor", str, description="keyset position from `next`/`previous`: any depth, same cost"),
            OpenApiParameter("page", str, description="page number or `last` (OFFSET, kept for existing clients)"),
            OpenApiParameter("page_size", int, description="rows per page, 50 by default, at most 500"),
        ],
        responses={200: ProjectOut(many=True)},
    )
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest) -> Response:
        # the list's FilterSet (filters.list_params: no FilterSet at all when no filter is asked)
        filters = list_params(request.query_params)
        qs = selectors.project_list_rows(user=request.user, **filters)
        # newest first, keyset pages (`cursor`), `page=` still served: core.api.KeysetPagination
        paginator = KeysetPagination(
            selectors.LIST_ORDER,
            columns=LIST_COLUMNS,
            count=lambda: selectors.project_list_count(user=request.user, **filters),
            keys_first=selectors.keys_first(request.user, filters),
        )
        page = paginator.paginate_queryset(qs.annotate(participating=selectors.ParticipatingCodes()), request, self)
        return paginator.get_paginated_response(_list_rows(page))

    @extend_schema(request=ProjectIn, responses={201: ProjectOut})
    def post(self, request: AuthenticatedRequest) -> Response:
        policies.require(request.user.has_role(*policies.DEPT_ROLES), ProjectError.DEPT_STAFF_ONLY)
        data = ProjectIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = _flatten_leader(data.validated_data)
        project = services.project_create(actor=request.user, **fields)
        return Response(_detail(project.pk, request.user), status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    @extend_schema(responses={200: ProjectOut})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        # the lean row of the list (one query: the project in scope, 404 otherwise, with its lead
        # department's code and its participations' codes), ProjectOut's output without the serializer
        try:
            pk = uuid.UUID(str(project_id))
        except ValueError:
            raise NotFound(ProjectError.PROJECT_NOT_FOUND) from None
        in_scope = policies.restrict(request.user, "summary").filter(pk=pk)
        rows = list(in_scope.annotate(participating=selectors.ParticipatingCodes()).values(*LIST_COLUMNS))
        if not rows:
            raise NotFound(ProjectError.PROJECT_NOT_FOUND)
        return Response(_list_rows(rows)[0])

    @extend_schema(request=ProjectPatch, responses={200: ProjectOut})
    def patch(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = policies.project_for(request.user, project_id, "write")  # 404 before any validation message
        # the role before the input (domain.md §4 order: 404, 403, then 400)
        policies.require(policies.may_edit(request.user, project), ProjectError.LEAD_EDITS_ONLY)
        read_only = {"stage", "code", "lead_department", "id", "regime"} & set(request.data)
        if read_only:
            services.project_update(actor=request.user, project_id=project_id, changes=dict.fromkeys(read_only))
        data = ProjectPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = _flatten_leader(data.validated_data)
        version = changes.pop("version", None)
        project = services.project_update(
            actor=request.user, project_id=project_id, changes=changes, expected_version=version
        )
        return Response(_detail(project.pk, request.user))


class TransitionIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(TRANSITIONS))
    effective_date = StrictDate(required=False, allow_null=True)
    comment = LongText(required=False, allow_blank=True, default="")
    approval_reference = ShortText(required=False, allow_blank=True, default="", max_length=100)


class TransitionView(APIView):
    @extend_schema(request=TransitionIn, responses={200: ProjectOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = policies.project_for(request.user, project_id, "write")  # scope first: 404 before anything else
        action = request.data.get("action") if hasattr(request.data, "get") else None
        if isinstance(action, str) and action in TRANSITIONS:
            # the role for a known action before the rest of the input is validated (404, 403, 409, 400)
            policies.require(
                policies.may_act(request.user, project, action),
                ProjectError.ACTION_NOT_ALLOWED,
                {"action": action},
            )
        data = TransitionIn(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_transition(
            actor=request.user, project_id=project_id, language=language_of(request), **data.validated_data
        )
        return Response(_detail(project.pk, request.user))


class EventOut(serializers.Serializer):
    seq = serializers.IntegerField()
    action = serializers.CharField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    at = serializers.DateTimeField()
    effective_date = StrictDate()
    comment = serializers.CharField()
    approval_reference = serializers.CharField()
    entrusted = serializers.BooleanField()
    pack_version = serializers.CharField()
    gate_results = serializers.JSONField()


class EventListView(APIView):
    @extend_schema(responses={200: EventOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = policies.project_for(request.user, project_id)
        return paginated(request, self, selectors.project_events(project=project), EventOut)


class EntrustIn(serializers.Serializer):
    entrusted = serializers.BooleanField()
    reason = LongText(required=False, allow_blank=True, default="")


class EntrustView(APIView):
    @extend_schema(request=EntrustIn, responses={200: ProjectOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        policies.project_for(request.user, project_id, "write")
        policies.require(request.user.has_role(Role.NDRC_OFFICER), ProjectError.NDRC_ENTRUSTS_ONLY)
        data = EntrustIn(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_set_entrustment(actor=request.user, project_id=project_id, **data.validated_data)
        return Response(_detail(project.pk, request.user))


class ComplianceResultOut(serializers.Serializer):
    rule = serializers.CharField()
    clause = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    message = serializers.CharField()
    message_zh = serializers.CharField()
    message_en = serializers.CharField()


class ComplianceOut(serializers.Serializer):
    regime = serializers.CharField()
    pack_version = serializers.CharField()
    pack_sha256 = serializers.CharField()
    as_of = StrictDate()
    results = ComplianceResultOut(many=True)


_RESULT_FIELDS = tuple(ComplianceResultOut().fields)


def _compliance_data(report: dict[str, Any]) -> dict[str, Any]:
    """ComplianceOut's output without the serializer (a field object per value of some 40 rules)."""
    as_of = report["as_of"]
    return {
        "regime": report["regime"],
        "pack_version": report["pack_version"],
        "pack_sha256": report["pack_sha256"],
        "as_of": as_of if isinstance(as_of, str) else as_of.isoformat(),
        "results": [{f: getattr(r, f) for f in _RESULT_FIELDS} for r in report["results"]],
    }


class ComplianceView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD; today in Beijing when absent")],
        responses={200: ComplianceOut},
    )
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = policies.project_for(request.user, project_id)
        as_of = parse_as_of(request.query_params.get("as_of"))
        language = language_of(request)
        report = None
        if as_of is None or as_of == clock.today():  # today: the stored verdict (ADR 0013, addendum)
            report = stored.compliance_today(project, language)
        if report is None:  # another date, or no fresh stored verdict to be had: the full evaluation
            report = selectors.project_compliance(project=project, as_of=as_of, language=language)
        return Response(_compliance_data(report))


class AssignmentIn(serializers.Serializer):
    user = ShortText()
    as_ = serializers.ChoiceField(choices=AssignmentTask.values)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.pop("as_")
        field.source = None  # bound once as "as_": rebinding must re-derive it, else validated_data has "as_"
        self.fields["as"] = field


class AssignmentOut(serializers.Serializer):
    user = serializers.CharField(source="user.username")
    task = serializers.CharField()
    assigned_by = serializers.CharField(source="assigned_by.username")
    assigned_at = serializers.DateTimeField()


class AssignmentListView(APIView):
    @extend_schema(responses={200: AssignmentOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = policies.project_for(request.user, project_id)
        rows = selectors.assignments_visible(user=request.user, project=project)
        return paginated(request, self, rows, AssignmentOut)

    @extend_schema(request=AssignmentIn, responses={201: AssignmentOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        policies.project_for(request.user, project_id, "write")
        policies.require(policies.may_assign(request.user), ProjectError.NDRC_ASSIGNS_ONLY)
        data = AssignmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_add(
            actor=request.user,
            project_id=project_id,
            username=data.validated_data["user"],
            task=data.validated_data["as"],
        )
        return Response(AssignmentOut(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, project_id: str, username: str) -> Response:
        services.assignment_remove(actor=request.user, project_id=project_id, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReferenceIn(serializers.Serializer):
    approval_reference = ShortText(max_length=100)


class EventReferenceView(APIView):
    """NDRC records a 批复文号 that an approval passed without (clears C1.1)."""

    @extend_schema(request=ReferenceIn, responses={200: EventOut})
    def post(self, request: AuthenticatedRequest, project_id: str, seq: int) -> Response:
        policies.project_for(request.user, project_id, "write")
        policies.require(request.user.has_role(Role.NDRC_OFFICER), ProjectError.NDRC_RECORDS_REFERENCES_ONLY)
        data = ReferenceIn(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.stage_event_record_reference(
            actor=request.user, project_id=project_id, seq=seq, reference=data.validated_data["approval_reference"]
        )
        return Response(EventOut(event).data)
