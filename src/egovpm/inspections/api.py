"""Inspections and rectification over HTTP (api.md "Inspections, rectification, post-evaluation").
Views translate; services and selectors decide."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core import clock
from egovpm.core.api import Pagination
from egovpm.core.errors import Conflict
from egovpm.core.validators import LongText, ShortText, parse_as_of
from egovpm.inspections import machine, selectors, services
from egovpm.inspections.errors import InspectionError
from egovpm.inspections.models import Finding, Inspection, RectificationEvent, RectificationItem
from egovpm.inspections.notice import notice_docx
from egovpm.projects import policies as project_policies
from egovpm.web.inbox import kept_get

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ---------------------------------------------------------------------------------------- input


class OpenIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["inspection", "audit"])
    scope = serializers.ListField(child=ShortText())
    inspectors = serializers.ListField(child=ShortText())
    co_organisers = serializers.ListField(child=ShortText(), required=False)
    started_on = serializers.DateField()


class FindingIn(serializers.Serializer):
    area = ShortText()
    description = LongText()
    severity = serializers.ChoiceField(choices=["minor", "major", "serious"])
    rectification_required = serializers.BooleanField()
    due_date = serializers.DateField(required=False)


class IssueIn(serializers.Serializer):
    ended_on = serializers.DateField()


class AnswerIn(serializers.Serializer):
    text = LongText()
    documents = serializers.ListField(child=serializers.UUIDField(), required=False)
    answered_on = serializers.DateField(required=False)


class CloseIn(serializers.Serializer):
    comment = LongText()


class ReopenIn(serializers.Serializer):
    comment = LongText()
    due_date = serializers.DateField(required=False)


def _body(request: AuthenticatedRequest, *names: str) -> dict[str, Any]:
    """The named fields of a JSON object body, as sent (the services check them: one place for
    the API and the forms)."""
    data = request.data if isinstance(request.data, dict) else {}
    return {n: data[n] for n in names if n in data}


# --------------------------------------------------------------------------------------- output


class EventOut(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")
    documents = serializers.SerializerMethodField()

    class Meta:
        model = RectificationEvent
        fields = ["seq", "kind", "text", "effective_date", "new_due_date", "actor", "at", "documents"]

    def get_documents(self, event: RectificationEvent) -> list[str]:
        return [str(e.document_id) for e in event.evidence.all()]


class ItemOut(serializers.ModelSerializer):
    status = serializers.CharField(source="state")
    finding = serializers.IntegerField(source="finding.seq")
    inspection = serializers.CharField(source="finding.inspection_id")
    events = EventOut(many=True)

    class Meta:
        model = RectificationItem
        fields = ["id", "inspection", "finding", "initial_due_date", "due_date", "status", "events"]


class FindingOut(serializers.ModelSerializer):
    item = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ["seq", "area", "description", "severity", "rectification_required", "due_date", "item"]

    def get_item(self, finding: Finding) -> dict[str, Any] | None:
        item = getattr(finding, "item", None)
        return ItemOut(item).data if item is not None else None


class InspectionOut(serializers.ModelSerializer):
    project = serializers.CharField(source="project_id")
    inspectors = serializers.SerializerMethodField()
    opened_by = serializers.CharField(source="opened_by.username")
    issued_by = serializers.CharField(source="issued_by.username", allow_null=True, default=None)
    findings = FindingOut(many=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "project",
            "reference",
            "kind",
            "scope",
            "co_organisers",
            "inspectors",
            "started_on",
            "ended_on",
            "state",
            "opened_by",
            "opened_at",
            "issued_by",
            "issued_at",
            "closed_at",
            "findings",
        ]

    def get_inspectors(self, inspection: Inspection) -> list[str]:
        return [i.user.username for i in inspection.inspectors.all()]


class RectificationOut(serializers.Serializer):
    id = serializers.CharField()
    inspection = serializers.CharField()
    reference = serializers.CharField()
    finding = serializers.IntegerField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    overdue = serializers.BooleanField()


class RectificationListOut(serializers.Serializer):
    as_of = serializers.DateField()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = RectificationOut(many=True)


def _detail(inspection_id: Any) -> dict[str, Any]:
    return dict(InspectionOut(selectors.with_details(Inspection.objects.filter(pk=inspection_id)).get()).data)


def _item(item_id: Any) -> dict[str, Any]:
    item = (
        RectificationItem.objects.select_related("finding")
        .prefetch_related("events__actor", "events__evidence")
        .get(pk=item_id)
    )
    return dict(ItemOut(item).data)


# ---------------------------------------------------------------------------------------- views


class InspectionListView(APIView):
    @extend_schema(responses={200: InspectionOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.project_inspections(project=project), request, view=self)
        return paginator.get_paginated_response(InspectionOut(page, many=True).data)

    @extend_schema(request=OpenIn, responses={201: InspectionOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """NDRC opens an inspection or audit; its inspectors are assigned to the project."""
        body = _body(request, "kind", "scope", "inspectors", "co_organisers", "started_on")
        inspection = services.inspection_open(
            actor=request.user,
            project_id=project_id,
            kind=body.get("kind"),
            scope=body.get("scope"),
            inspectors=body.get("inspectors"),
            co_organisers=body.get("co_organisers"),
            started_on=body.get("started_on"),
        )
        return Response(_detail(inspection.pk), status=status.HTTP_201_CREATED)


class InspectionDetailView(APIView):
    @extend_schema(responses={200: InspectionOut})
    def get(self, request: AuthenticatedRequest, inspection_id: str) -> Response:
        inspection = selectors.inspection_for(request.user, inspection_id)
        return Response(_detail(inspection.pk))


class FindingListView(APIView):
    @extend_schema(request=FindingIn, responses={201: FindingOut})
    def post(self, request: AuthenticatedRequest, inspection_id: str) -> Response:
        """An inspector of this inspection records a finding while it is in progress."""
        body = _body(request, "area", "description", "severity", "rectification_required", "due_date")
        finding = services.finding_add(
            actor=request.user,
            inspection_id=inspection_id,
            area=body.get("area"),
            description=body.get("description"),
            severity=body.get("severity"),
            rectification_required=body.get("rectification_required"),
            due_date=body.get("due_date"),
        )
        return Response(FindingOut(finding).data, status=status.HTTP_201_CREATED)


class IssueView(APIView):
    @extend_schema(request=IssueIn, responses={200: InspectionOut})
    def post(self, request: AuthenticatedRequest, inspection_id: str) -> Response:
        """The inspector issues the report: findings frozen, one rectification item per finding
        that requires it (an inspection without any closes at once)."""
        body = _body(request, "ended_on")
        inspection = services.inspection_issue(
            actor=request.user, inspection_id=inspection_id, ended_on=body.get("ended_on")
        )
        return Response(_detail(inspection.pk))


class NoticeView(APIView):
    @extend_schema(responses={(200, DOCX): bytes})
    def get(self, request: AuthenticatedRequest, inspection_id: str) -> HttpResponse:
        """整改通知书 as DOCX (409 before the report is issued)."""
        found = selectors.inspection_for(request.user, inspection_id)
        return notice_response(found)


def notice_response(inspection: Inspection) -> HttpResponse:
    if inspection.state == machine.IN_PROGRESS:
        raise Conflict(InspectionError.REPORT_NOT_ISSUED)
    full = (
        Inspection.objects.select_related("project__lead_department").prefetch_related("findings").get(pk=inspection.pk)
    )
    response = HttpResponse(notice_docx(full), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="rectification-notice-{full.project.code}.docx"'
    return response


class RectificationListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD; today in Beijing when absent")],
        responses={200: RectificationListOut},
    )
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """The project's rectification items as of a date: status and overdue replayed from the
        dated events (overdue on D: open and due date before D)."""
        project = project_policies.project_for(request.user, project_id)
        as_of = parse_as_of(request.query_params.get("as_of")) or clock.today()
        rows = [
            {
                "id": str(v.item.pk),
                "inspection": str(v.item.finding.inspection_id),
                "reference": v.item.finding.inspection.reference,
                "finding": v.item.finding.seq,
                "due_date": v.due_date,
                "status": v.state,
                "overdue": v.overdue,
            }
            for v in selectors.rectifications(project=project, as_of=as_of)
        ]
        return Response(
            {
                "as_of": as_of,
                "count": len(rows),
                "next": None,
                "previous": None,
                "results": RectificationOut(rows, many=True).data,
            }
        )


class AnswerView(APIView):
    @extend_schema(request=AnswerIn, responses={200: ItemOut})
    def post(self, request: AuthenticatedRequest, item_id: str) -> Response:
        body = _body(request, "text", "documents", "answered_on")
        item = services.rectification_answer(
            actor=request.user,
            item_id=item_id,
            text=body.get("text"),
            documents=body.get("documents"),
            answered_on=body.get("answered_on"),
        )
        return Response(_item(item.pk))


class CloseView(APIView):
    @extend_schema(request=CloseIn, responses={200: ItemOut})
    def post(self, request: AuthenticatedRequest, item_id: str) -> Response:
        body = _body(request, "comment")
        item = services.rectification_close(actor=request.user, item_id=item_id, comment=body.get("comment"))
        return Response(_item(item.pk))


class ReopenView(APIView):
    @extend_schema(request=ReopenIn, responses={200: ItemOut})
    def post(self, request: AuthenticatedRequest, item_id: str) -> Response:
        body = _body(request, "comment", "due_date")
        item = services.rectification_reopen(
            actor=request.user, item_id=item_id, comment=body.get("comment"), due_date=body.get("due_date")
        )
        return Response(_item(item.pk))
