from __future__ import annotations

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import paginated
from egovpm.core.errors import NotFound
from egovpm.core.validators import LongText, ShortText
from egovpm.documents import selectors, services, storage
from egovpm.documents.errors import DocumentError
from egovpm.documents.models import Document
from egovpm.web.inbox import kept_get


class DocumentOut(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    archived_by = serializers.CharField(source="archived_by.username", allow_null=True, default=None)
    withdrawn_by = serializers.CharField(source="withdrawn_by.username", allow_null=True, default=None)
    supersedes = serializers.CharField(source="supersedes_id", allow_null=True)
    project = serializers.CharField(source="project_id")

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "stage",
            "category",
            "title",
            "filename",
            "content_type",
            "size",
            "sha256",
            "sm3",
            "retention",
            "version",
            "supersedes",
            "uploaded_by",
            "uploaded_at",
            "archived",
            "archived_at",
            "archived_by",
            "withdrawn",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        ]


UploadIn = inline_serializer(
    "DocumentUpload",
    {
        "file": serializers.FileField(),
        "stage": ShortText(),
        "category": ShortText(),
        "title": ShortText(),
        "retention": ShortText(required=False),
        "supersedes": ShortText(required=False, help_text="id of the document this one replaces"),
    },
)


class DocumentListView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: DocumentOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        return paginated(request, self, selectors.document_list(user=request.user, project_id=project_id), DocumentOut)

    @extend_schema(request={"multipart/form-data": UploadIn}, responses={201: DocumentOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        document = services.document_upload(
            actor=request.user,
            project_id=project_id,
            file=request.FILES.get("file"),
            stage=request.data.get("stage", ""),
            category=request.data.get("category", ""),
            title=request.data.get("title", ""),
            retention=request.data.get("retention", ""),
            supersedes=request.data.get("supersedes", ""),
            max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
        )
        return Response(DocumentOut(document).data, status=status.HTTP_201_CREATED)


class DocumentPatch(serializers.Serializer):
    title = ShortText(required=False, max_length=300)
    stage = ShortText(required=False)
    category = ShortText(required=False)
    retention = ShortText(required=False, help_text="permanent, 30y or 10y: overrides the default")


class DocumentDetailView(APIView):
    @extend_schema(responses={200: DocumentOut})
    def get(self, request: AuthenticatedRequest, document_id: str) -> Response:
        return Response(DocumentOut(selectors.document_for(user=request.user, document_id=document_id)).data)

    @extend_schema(request=DocumentPatch, responses={200: DocumentOut})
    def patch(self, request: AuthenticatedRequest, document_id: str) -> Response:
        """Correct the details of a document that is not archived yet; an archived one answers 409
        (a correction is then a new version that supersedes it). The bytes never change."""
        selectors.document_for(user=request.user, document_id=document_id)  # 404 first
        document = services.document_update(
            actor=request.user, document_id=document_id, changes={k: request.data.get(k) for k in request.data}
        )
        return Response(DocumentOut(document).data)


class DocumentArchiveView(APIView):
    @extend_schema(request=None, responses={200: DocumentOut})
    def post(self, request: AuthenticatedRequest, document_id: str) -> Response:
        """归档 by the lead department: the document becomes immutable (clause 7)."""
        document = services.document_archive(actor=request.user, document_id=document_id)
        return Response(DocumentOut(document).data)


class DocumentWithdrawIn(serializers.Serializer):
    reason = LongText(
        required=False, allow_blank=True, trim_whitespace=False, help_text="why it is withdrawn (required)"
    )


class DocumentWithdrawView(APIView):
    @extend_schema(request=DocumentWithdrawIn, responses={200: DocumentOut})
    def post(self, request: AuthenticatedRequest, document_id: str) -> Response:
        """撤回 by the uploader's department while not archived: the document leaves the lists,
        completeness and gates; the row and its bytes stay for the audit trail (404 outside the
        project's scope, 403 for another department, 409 archived / superseded / cited / withdrawn)."""
        data = DocumentWithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_withdraw(
            actor=request.user, document_id=document_id, reason=data.validated_data.get("reason", "")
        )
        return Response(DocumentOut(document).data)


class DocumentContentView(APIView):
    @extend_schema(responses={(200, "*/*"): OpenApiResponse(bytes, description="the file, with its own content type")})
    def get(self, request: AuthenticatedRequest, document_id: str) -> FileResponse:
        document = selectors.document_for(user=request.user, document_id=document_id)
        try:
            content = storage.open_blob(document.sha256)
        except storage.BlobMissing:
            raise NotFound(DocumentError.BLOB_MISSING) from None
        response = FileResponse(
            content,
            as_attachment=True,
            filename=document.filename,
            content_type=document.content_type,
        )
        response.setdefault("Content-Length", str(document.size))  # object storage streams unsized
        response["X-Content-SHA256"] = document.sha256
        response["X-Content-SM3"] = document.sm3
        return response
