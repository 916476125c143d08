"""Archive acceptance, completeness, completion-acceptance snapshots and the transfer package over
HTTP (api.md "Gates' evidence"). Views translate; services and selectors decide."""

from __future__ import annotations

import contextlib
import os
from typing import Any

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.archives import package, policies, selectors, services
from egovpm.archives.choices import AcceptanceResult
from egovpm.archives.errors import ArchiveError
from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
from egovpm.core.api import Pagination
from egovpm.core.validators import LongText, ShortText, StrictDate
from egovpm.projects import policies as project_policies
from egovpm.web.inbox import kept_get


class AcceptanceIn(serializers.Serializer):
    accepted_on = StrictDate()
    organizer = ShortText(max_length=200)
    result = serializers.ChoiceField(choices=AcceptanceResult.choices)
    opinion = LongText()


class AcceptanceOut(serializers.ModelSerializer):
    project = serializers.CharField(source="project_id")
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = ArchiveAcceptance
        fields = [
            "id",
            "project",
            "accepted_on",
            "organizer",
            "result",
            "opinion",
            "completeness",
            "recorded_by",
            "recorded_at",
        ]


class CompletionOut(serializers.ModelSerializer):
    project = serializers.CharField(source="project_id")
    accepted_by = serializers.CharField(source="accepted_by.username")
    stage_event = serializers.IntegerField(source="event.seq")
    archive_acceptance = serializers.CharField(source="archive_acceptance_id", allow_null=True)

    class Meta:
        model = CompletionAcceptance
        fields = [
            "id",
            "project",
            "stage_event",
            "accepted_by",
            "accepted_at",
            "effective_date",
            "entrusted",
            "archive_acceptance",
            "as_of",
            "regime",
            "pack_version",
            "pack_sha256",
            "results",
        ]


class ArchiveAcceptanceListView(APIView):
    @extend_schema(responses={200: AcceptanceOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        qs = selectors.acceptance_list(user=request.user, project_id=project_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AcceptanceOut(page, many=True).data)

    @extend_schema(request=AcceptanceIn, responses={201: AcceptanceOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "write")  # 404, then 403, then 400
        project_policies.require(
            policies.may_record_acceptance(request.user, project),
            ArchiveError.ACCEPTANCE_ARCHIVIST_ONLY,
        )
        data = AcceptanceIn(data=request.data)
        data.is_valid(raise_exception=True)
        acceptance = services.archive_acceptance_record(
            actor=request.user, project_id=project.pk, **data.validated_data
        )
        return Response(AcceptanceOut(acceptance).data, status=status.HTTP_201_CREATED)


class ArchiveCompletenessView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """The filing scope per stage against the documents on file (the archive completeness view)."""
        project = project_policies.project_for(request.user, project_id)
        return Response(selectors.archive_completeness(project=project))


class CompletionAcceptanceListView(APIView):
    @extend_schema(responses={200: CompletionOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """The record of the completion acceptance: who, when, entrusted or not, and the compliance
        report at that moment (pack version, sha256 and every rule's verdict)."""
        project = project_policies.project_for(request.user, project_id)
        qs = (
            CompletionAcceptance.objects.filter(project=project)
            .select_related("accepted_by", "event")
            .order_by("accepted_at")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CompletionOut(page, many=True).data)


class _TempFileResponse(FileResponse):
    """Streams a temp file and removes it when the response is closed."""

    def __init__(self, path: Any, *args: Any, **kwargs: Any) -> None:
        self._temp_path = path
        super().__init__(open(path, "rb"), *args, **kwargs)  # noqa: SIM115 — closed by the response

    def close(self) -> None:
        super().close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._temp_path)


class ArchivePackageView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("container", str, enum=list(package.CONTAINERS), description="zip (default) or tar")
        ],
        responses={(200, "application/zip"): bytes, (200, "application/gzip"): bytes},
    )
    def get(self, request: AuthenticatedRequest, project_id: str) -> FileResponse:
        """The archive transfer package: a BagIt bag of every archived document with SHA-256 and SM3
        manifests and a catalogue (目录) in JSON and XLSX."""
        project = project_policies.project_for(request.user, project_id)
        project_policies.require(policies.may_download_package(request.user, project), ArchiveError.PACKAGE_NOT_ALLOWED)
        container = request.query_params.get("container", "zip")
        path, filename = package.package_build(user=request.user, project_id=project.pk, container=container)
        content_type = "application/zip" if container == "zip" else "application/gzip"
        return _TempFileResponse(path, as_attachment=True, filename=filename, content_type=content_type)
