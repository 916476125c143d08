"""Expert reviews over HTTP (api.md "Gates' evidence"): panels, opinions, conclusions, the expert
pool, the needs-analysis co-authors. Views translate; services and selectors decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.choices import Role
from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import Pagination, iso_datetime, paginated
from egovpm.core.errors import Conflict, FieldError, InvalidInput, NotFound, template
from egovpm.core.parsers import JSONParser
from egovpm.core.validators import LongText, ShortText, StrictDate
from egovpm.core.views import language_of
from egovpm.documents import storage
from egovpm.projects import policies as project_policies
from egovpm.projects.errors import ProjectError
from egovpm.reviews import policies, selectors, services
from egovpm.reviews.choices import Recommendation, ReviewStatus
from egovpm.reviews.docx import record_docx
from egovpm.reviews.errors import ReviewError
from egovpm.reviews.filters import ReviewFilter
from egovpm.reviews.models import ExpertProfile, ExpertReview, Opinion
from egovpm.web.inbox import kept_get


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)  # 400 in the API's shape (core/api.py), codes beside the words
    return dict(serializer.validated_data)


# ---------------------------------------------------------------- output


class OpinionOut(serializers.Serializer):
    expert = serializers.CharField(source="expert.username")
    recommendation = serializers.CharField()
    text = serializers.CharField()
    given_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    attachment = serializers.SerializerMethodField()

    def get_attachment(self, o: Opinion) -> dict[str, Any] | None:
        if not o.attachment_sha256:
            return None
        return {
            "name": o.attachment_name,
            "size": o.attachment_size,
            "sha256": o.attachment_sha256,
            "sm3": o.attachment_sm3,
        }


class ReviewOut(serializers.Serializer):
    id = serializers.CharField()
    project = serializers.CharField(source="project_id")
    project_code = serializers.CharField(source="project.code")
    status = serializers.CharField()
    formed_by = serializers.CharField()
    formed_at = serializers.DateTimeField()
    organised_by = serializers.CharField(source="organised_by.username")
    due_on = StrictDate(allow_null=True)
    panel_size = serializers.SerializerMethodField()
    experts = serializers.SerializerMethodField()
    draw = serializers.SerializerMethodField()
    opinions = serializers.SerializerMethodField()
    conclusion = serializers.CharField()
    conclusion_text = serializers.CharField()
    concluded_by = serializers.SerializerMethodField()
    concluded_at = serializers.DateTimeField(allow_null=True)
    record_sha256 = serializers.CharField()

    def _user(self) -> Any:
        return self.context["user"]

    def get_panel_size(self, r: ExpertReview) -> int:
        return len(r.members.all())

    def get_experts(self, r: ExpertReview) -> list[dict[str, Any]] | None:
        """Who sits on the panel: NDRC, MoF and the panel itself; the project's departments learn it
        with the conclusion (nobody lobbies a panel they cannot name)."""
        user = self._user()
        members = list(r.members.all())
        if not (
            user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER)
            or any(m.expert_id == user.pk for m in members)
            or r.status == ReviewStatus.CONCLUDED
        ):
            return None
        given = {o.expert_id for o in r.opinions.all()}
        return [
            {
                "username": m.expert.username,
                "name": m.expert.label(),
                "department": m.expert.department.code if m.expert.department else None,
                "has_opinion": m.expert_id in given,
            }
            for m in members
        ]

    def get_draw(self, r: ExpertReview) -> dict[str, Any] | None:
        if not r.draw_seed or not self._user().has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER):
            return None
        return {
            "seed": r.draw_seed,
            "size": r.draw_size,
            "specialties": r.draw_specialties,
            "candidates": r.draw_candidates,
            "excluded": r.draw_excluded,
        }

    def get_opinions(self, r: ExpertReview) -> list[dict[str, Any]]:
        return list(OpinionOut(selectors.visible_opinions(user=self._user(), review=r), many=True).data)

    def get_concluded_by(self, r: ExpertReview) -> str | None:
        return r.concluded_by.username if r.concluded_by else None


def _opinion_data(o: dict[str, Any], zone: dt.tzinfo) -> dict[str, Any]:
    """OpinionOut's output of one opinion read as a plain dict (selectors.review_panels)."""
    return {
        "expert": o["expert__username"],
        "recommendation": o["recommendation"],
        "text": o["text"],
        "given_at": iso_datetime(o["given_at"], zone),
        "updated_at": iso_datetime(o["updated_at"], zone),
        "attachment": {
            "name": o["attachment_name"],
            "size": o["attachment_size"],
            "sha256": o["attachment_sha256"],
            "sm3": o["attachment_sm3"],
        }
        if o["attachment_sha256"]
        else None,
    }


# The columns of a review ReviewOut renders; the draw's lists only for those who see the draw.
_REVIEW_COLUMNS = (
    "id",
    "project_id",
    "project__code",
    "status",
    "formed_by",
    "formed_at",
    "organised_by__username",
    "due_on",
    "draw_seed",
    "conclusion",
    "conclusion_text",
    "concluded_by__username",
    "concluded_at",
    "record_sha256",
)
_DRAW_COLUMNS = ("draw_size", "draw_specialties", "draw_candidates", "draw_excluded")


def review_rows(reviews: QuerySet[ExpertReview], user: Any) -> list[dict[str, Any]]:
    """The reviews of `reviews` (ordered) exactly as ReviewOut renders them, as plain dicts read
    with .values() — the reviews, then their panels and visible opinions (selectors.review_panels)
    — never as model objects: the serializer built a nested OpinionOut for every row and the
    objects (reviews, projects, users, departments, opinions: ~800 a page) cost more than the
    queries (tests/reviews/test_review_rows.py compares the two for every role and state)."""
    zone = timezone.get_current_timezone()
    reads_all = user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER)
    reviews_read = list(reviews.values(*_REVIEW_COLUMNS, *(_DRAW_COLUMNS if reads_all else ())))
    members, opinions = selectors.review_panels(reviews_read, user)
    rows = []
    for r in reviews_read:
        panel = members[r["id"]]
        sees_panel = reads_all or r["status"] == ReviewStatus.CONCLUDED or any(m["expert_id"] == user.pk for m in panel)
        rows.append(
            {
                "id": str(r["id"]),
                "project": str(r["project_id"]),
                "project_code": r["project__code"],
                "status": r["status"],
                "formed_by": r["formed_by"],
                "formed_at": iso_datetime(r["formed_at"], zone),
                "organised_by": r["organised_by__username"],
                "due_on": r["due_on"].isoformat() if r["due_on"] else None,
                "panel_size": len(panel),
                "experts": [
                    {
                        "username": m["expert__username"],
                        "name": m["expert__display_name"] or m["expert__username"],
                        "department": m["expert__department__code"],
                        "has_opinion": m["has_opinion"],
                    }
                    for m in panel
                ]
                if sees_panel
                else None,
                "draw": {
                    "seed": r["draw_seed"],
                    "size": r["draw_size"],
                    "specialties": r["draw_specialties"],
                    "candidates": r["draw_candidates"],
                    "excluded": r["draw_excluded"],
                }
                if r["draw_seed"] and reads_all
                else None,
                "opinions": [_opinion_data(o, zone) for o in opinions[r["id"]]],
                "conclusion": r["conclusion"],
                "conclusion_text": r["conclusion_text"],
                "concluded_by": r["concluded_by__username"],
                "concluded_at": iso_datetime(r["concluded_at"], zone),
                "record_sha256": r["record_sha256"],
            }
        )
    return rows


def _review_page(
    request: AuthenticatedRequest, view: APIView, reviews: QuerySet[ExpertReview], count: Any = None
) -> Response:
    """A page of reviews in api.md's list shape, the rows by review_rows (one page's ids read in
    the list's order first, selectors.Paged); `count`: selectors.whole_count's."""
    user = request.user
    paginator = Pagination()
    paged = selectors.Paged(reviews, selectors.LIST_ORDER, lambda qs: review_rows(qs, user), count)
    page: list[Any] = paginator.paginate_queryset(cast(Sequence[Any], paged), request, view=view) or []
    return paginator.get_paginated_response(page)


def _review_out(request: AuthenticatedRequest, review: ExpertReview, code: int = 200) -> Response:
    fresh = selectors.review_for(user=request.user, review_id=review.pk)
    return Response(ReviewOut(fresh, context={"user": request.user}).data, status=code)


# ---------------------------------------------------------------- panels


class DrawIn(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=50)
    specialties = serializers.ListField(child=ShortText(), required=False, default=list)
    seed = ShortText(required=False, allow_blank=True, max_length=64)

    def validate_seed(self, value: str) -> str:
        raise serializers.ValidationError(
            template(ReviewError.SEED_IS_THE_SERVERS), code=ReviewError.SEED_IS_THE_SERVERS
        )


class ReviewIn(serializers.Serializer):
    experts = serializers.ListField(child=ShortText(), required=False)
    draw = DrawIn(required=False)
    due_on = StrictDate(required=False, allow_null=True, input_formats=["%Y-%m-%d"])


class ProjectReviewsView(APIView):
    @extend_schema(responses={200: ReviewOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        reviews = selectors.review_list(user=request.user, project_id=project_id)
        return _review_page(request, self, reviews)

    @extend_schema(
        request=ReviewIn,
        responses={201: ReviewOut},
        description="By NDRC, for a project in needs_analysis: name the experts (`experts`) or draw them at "
        "random from the active pool (`draw`: size, specialties; the server draws and records the seed). "
        "A conflict of interest "
        "(the expert's department leads or participates in the project) is 400 naming the expert.",
    )
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        # Scope and role before validating the body (domain.md §4 order).
        project = project_policies.project_for(request.user, project_id, "review")
        project_policies.require(policies.may_organise(request.user), ReviewError.FORM_NDRC_ONLY)
        data = _valid(ReviewIn(data=request.data))
        draw = data.get("draw")
        review = services.review_form(
            actor=request.user,
            project_id=project.pk,
            experts=data.get("experts"),
            draw=services.DrawRequest(size=draw["size"], specialties=tuple(draw.get("specialties") or ()))
            if draw
            else None,
            due_on=data.get("due_on"),
        )
        return _review_out(request, review, status.HTTP_201_CREATED)


class ReviewListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ReviewStatus.values, description="the review's status")],
        responses={200: ReviewOut(many=True)},
        description="NDRC: every review; experts: their own.",
    )
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest) -> Response:
        # the list's one FilterSet (reviews/filters.py), also the 专家评议 page's
        params = ReviewFilter(request.query_params, queryset=ExpertReview.objects.none())
        if not params.is_valid():
            problems = {k: {"problem": "; ".join(map(str, v))} for k, v in params.errors.items()}
            raise InvalidInput(
                ProjectError.INVALID_FILTER,
                fields={k: FieldError(ProjectError.FILTER_VALUE, p) for k, p in problems.items()},
            )
        status = params.form.cleaned_data.get("status") or ""
        reviews = selectors.review_list(user=request.user, status=status)
        return _review_page(request, self, reviews, selectors.whole_count(request.user, status))


class ReviewDetailView(APIView):
    @extend_schema(responses={200: ReviewOut})
    def get(self, request: AuthenticatedRequest, review_id: str) -> Response:
        review = selectors.review_for(user=request.user, review_id=review_id)
        return Response(ReviewOut(review, context={"user": request.user}).data)


class OpinionIn(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Recommendation.values)
    text = LongText()
    attachment = serializers.FileField(required=False)


class OpinionView(APIView):
    # JSON (the API's strict parser, core/parsers.py) or multipart with an attachment; OpinionIn's
    # LongText keeps the text rule on the multipart route too
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request=OpinionIn,
        responses={201: ReviewOut, 200: ReviewOut},
        description="By an expert on the panel: one opinion, changeable until the panel concludes "
        "(201 when given, 200 when changed). JSON, or multipart with an optional `attachment` file.",
    )
    def post(self, request: AuthenticatedRequest, review_id: str) -> Response:
        review = selectors.review_for(user=request.user, review_id=review_id)
        project_policies.require(policies.is_member(request.user, review), ReviewError.MEMBERS_ONLY)
        data = _valid(OpinionIn(data=request.data))
        _, created = services.opinion_give(
            actor=request.user,
            review_id=review.pk,
            recommendation=data["recommendation"],
            text=data["text"],
            attachment=data.get("attachment"),
        )
        return _review_out(request, review, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AttachmentView(APIView):
    @extend_schema(responses={(200, "*/*"): OpenApiResponse(bytes, description="the file, with its own content type")})
    def get(self, request: AuthenticatedRequest, review_id: str, username: str) -> FileResponse:
        review = selectors.review_for(user=request.user, review_id=review_id)
        opinion = next(
            (o for o in selectors.visible_opinions(user=request.user, review=review) if o.expert.username == username),
            None,
        )
        if opinion is None or not opinion.attachment_sha256:
            raise NotFound(ReviewError.ATTACHMENT_NOT_FOUND)
        try:
            content = storage.open_blob(opinion.attachment_sha256)
        except storage.BlobMissing:
            raise NotFound(ReviewError.BLOB_MISSING) from None
        response = FileResponse(
            content, as_attachment=True, filename=opinion.attachment_name, content_type=opinion.attachment_type
        )
        response["X-Content-SHA256"] = opinion.attachment_sha256
        response["X-Content-SM3"] = opinion.attachment_sm3
        return response


class ConcludeIn(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=Recommendation.values)
    text = LongText()


class ConcludeView(APIView):
    @extend_schema(request=ConcludeIn, responses={200: ReviewOut})
    def post(self, request: AuthenticatedRequest, review_id: str) -> Response:
        review = selectors.review_for(user=request.user, review_id=review_id)
        project_policies.require(policies.may_organise(request.user), ReviewError.CONCLUDE_NDRC_ONLY)
        data = _valid(ConcludeIn(data=request.data))
        services.review_conclude(
            actor=request.user,
            review_id=review.pk,
            conclusion=data["conclusion"],
            text=data["text"],
        )
        return _review_out(request, review)


class ReviewDocumentView(APIView):
    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): bytes})
    def get(self, request: AuthenticatedRequest, review_id: str) -> HttpResponse:
        review = selectors.review_for(user=request.user, review_id=review_id)
        return docx_response(review)


def docx_response(review: ExpertReview) -> HttpResponse:
    if review.status != ReviewStatus.CONCLUDED or review.record is None:
        raise Conflict(ReviewError.NOT_CONCLUDED)
    body = record_docx(review.record, review.record_sha256)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"expert-opinion-{review.project.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Record-SHA256"] = review.record_sha256
    return response


class DrawOut(serializers.Serializer):
    seed = serializers.CharField()
    size = serializers.IntegerField()
    candidates = serializers.ListField(child=serializers.CharField())
    excluded = serializers.ListField(child=serializers.DictField())
    recorded = serializers.ListField(child=serializers.CharField())
    replayed = serializers.ListField(child=serializers.CharField())
    matches = serializers.BooleanField()
    method = serializers.CharField()


class DrawReplayView(APIView):
    @extend_schema(
        responses={200: DrawOut},
        description="Replays a drawn panel from its recorded seed and candidate list (NDRC, MoF): "
        "`matches` says whether the replay gives the recorded panel.",
    )
    def get(self, request: AuthenticatedRequest, review_id: str) -> Response:
        review = selectors.review_for(user=request.user, review_id=review_id)
        project_policies.require(request.user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER), ReviewError.DRAW_AUDIT_ONLY)
        replay = selectors.draw_replay(review=review)
        if replay is None:
            raise Conflict(ReviewError.NOT_DRAWN)
        return Response(
            DrawOut(
                {
                    **replay.__dict__,
                    "matches": replay.matches,
                    "method": "rank candidates by SHA-256('<seed>:<username>') ascending; take the first <size>",
                }
            ).data
        )


# ---------------------------------------------------------------- the pool


class SpecialtyOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    active = serializers.BooleanField()


class SpecialtyIn(serializers.Serializer):
    code = ShortText(max_length=40)
    name = ShortText(max_length=100)
    name_en = ShortText(max_length=100, required=False, allow_blank=True, default="")


class SpecialtyPatch(serializers.Serializer):
    active = serializers.BooleanField()


class SpecialtyListView(APIView):
    @extend_schema(responses={200: SpecialtyOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest) -> Response:
        return paginated(request, self, selectors.specialties(), SpecialtyOut)

    @extend_schema(request=SpecialtyIn, responses={201: SpecialtyOut})
    def post(self, request: AuthenticatedRequest) -> Response:
        project_policies.require(policies.may_manage_pool(request.user), ReviewError.SPECIALTIES_NDRC_ONLY)
        data = _valid(SpecialtyIn(data=request.data))
        specialty = services.specialty_add(actor=request.user, **data)
        return Response(SpecialtyOut(specialty).data, status=status.HTTP_201_CREATED)


class SpecialtyDetailView(APIView):
    @extend_schema(request=SpecialtyPatch, responses={200: SpecialtyOut})
    def patch(self, request: AuthenticatedRequest, code: str) -> Response:
        project_policies.require(policies.may_manage_pool(request.user), ReviewError.SPECIALTIES_NDRC_ONLY)
        data = _valid(SpecialtyPatch(data=request.data))
        specialty = services.specialty_set_active(actor=request.user, code=code, active=data["active"])
        return Response(SpecialtyOut(specialty).data)


class ExpertOut(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    name = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    title = serializers.CharField()
    specialties = serializers.SerializerMethodField()
    active = serializers.BooleanField()

    def get_name(self, p: ExpertProfile) -> str:
        return p.user.label()

    def get_department(self, p: ExpertProfile) -> str | None:
        return p.user.department.code if p.user.department else None

    def get_specialties(self, p: ExpertProfile) -> list[str]:
        return sorted(s.code for s in p.specialties.all())


class ExpertIn(serializers.Serializer):
    user = ShortText()
    specialties = serializers.ListField(child=ShortText(), allow_empty=False)
    title = ShortText(required=False, allow_blank=True, max_length=100, default="")
    active = serializers.BooleanField(required=False, default=True)


class ExpertPatch(serializers.Serializer):
    specialties = serializers.ListField(child=ShortText(), required=False, allow_empty=False)
    title = ShortText(required=False, allow_blank=True, max_length=100)
    active = serializers.BooleanField(required=False)


class ExpertListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("specialty", str, description="only experts of this specialty code"),
            OpenApiParameter("active", bool, description="true: active experts only; false: inactive only"),
        ],
        responses={200: ExpertOut(many=True)},
    )
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest) -> Response:
        active = request.query_params.get("active")
        pool = selectors.expert_pool(
            user=request.user,
            specialty=request.query_params.get("specialty", ""),
            active=None if active in (None, "") else active in ("1", "true", "yes"),
        )
        return paginated(request, self, pool, ExpertOut)

    @extend_schema(request=ExpertIn, responses={201: ExpertOut})
    def post(self, request: AuthenticatedRequest) -> Response:
        project_policies.require(policies.may_manage_pool(request.user), ReviewError.POOL_NDRC_ONLY)
        data = _valid(ExpertIn(data=request.data))
        if ExpertProfile.objects.filter(user__username=data["user"]).exists():
            raise Conflict(ReviewError.ALREADY_IN_POOL, {"username": data["user"]})
        profile = services.expert_profile_set(
            actor=request.user,
            username=data["user"],
            specialties=data["specialties"],
            title=data["title"],
            active=data["active"],
        )
        return Response(ExpertOut(profile).data, status=status.HTTP_201_CREATED)


class ExpertDetailView(APIView):
    @extend_schema(request=ExpertPatch, responses={200: ExpertOut})
    def patch(self, request: AuthenticatedRequest, username: str) -> Response:
        project_policies.require(policies.may_manage_pool(request.user), ReviewError.POOL_NDRC_ONLY)
        if not ExpertProfile.objects.filter(user__username=username).exists():
            raise NotFound(ReviewError.NOT_IN_POOL, {"username": username})
        data = _valid(ExpertPatch(data=request.data))
        profile = services.expert_profile_set(actor=request.user, username=username, **data)
        return Response(ExpertOut(profile).data)


# ---------------------------------------------------------------- needs analysis (C10.2)


class NeedsAnalysisIn(serializers.Serializer):
    co_authors = serializers.ListField(child=ShortText(), allow_empty=True)


class NeedsAnalysisOut(serializers.Serializer):  # the answer's schema (_needs_analysis_out)
    co_authors = serializers.ListField(child=serializers.CharField())
    local_participants = serializers.ListField(child=serializers.CharField())
    missing_co_authors = serializers.ListField(child=serializers.CharField())
    recorded_at = serializers.DateTimeField(allow_null=True)


class NeedsAnalysisView(APIView):
    @extend_schema(
        responses={
            200: {
                "type": "object",
                "properties": {
                    "co_authors": {"type": "array", "items": {"type": "string"}},
                    "local_participants": {"type": "array", "items": {"type": "string"}},
                    "missing_co_authors": {"type": "array", "items": {"type": "string"}},
                    "recorded_at": {"type": "string", "nullable": True},
                },
            }
        }
    )
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "review")
        return Response(_needs_analysis_out(project))

    @extend_schema(
        request=NeedsAnalysisIn,
        responses={200: NeedsAnalysisOut},
        description="By the lead department, before the proposal: the participating departments that "
        "co-authored the needs-analysis report (C10.2, joint central–local projects).",
    )
    def put(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "edit")
        project_policies.require(
            policies.may_set_co_authors(request.user, project),
            ReviewError.CO_AUTHORS_LEAD_ONLY,
        )
        data = _valid(NeedsAnalysisIn(data=request.data))
        services.co_authors_set(actor=request.user, project_id=project.pk, departments=data["co_authors"])
        return Response(_needs_analysis_out(project))


def _needs_analysis_out(project: Any) -> dict[str, Any]:
    record = selectors.needs_analysis_of(project=project)
    co = sorted(d.code for d in record.co_authors.all()) if record else []
    local = sorted(d.code for d in project.participating_departments.all() if d.kind == "local")
    return {
        "co_authors": co,
        "local_participants": local,
        "missing_co_authors": [c for c in local if c not in co],
        "recorded_at": record.recorded_at.isoformat() if record else None,
    }


# ---------------------------------------------------------------- C5.1 seam


class HistoryProjectOut(serializers.Serializer):
    id = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField()
    failing = serializers.DictField(child=serializers.IntegerField(), help_text="failing rules by severity")
    rules = serializers.ListField(child=serializers.CharField())


class DepartmentHistoryOut(serializers.Serializer):  # the answer's schema
    department = serializers.CharField()
    procurement_shares = serializers.JSONField(allow_null=True)
    total = serializers.IntegerField(help_text="how many other projects the department leads")
    projects = HistoryProjectOut(many=True, help_text=f"the {selectors.HISTORY_LIMIT} most recent of them")


class DepartmentHistoryView(APIView):
    @extend_schema(
        responses={200: DepartmentHistoryOut},
        description="NDRC: the lead department's other projects with their compliance summary (failing rules "
        "by severity), shown beside a new proposal (clause 5), and the 自主可控 shares over the procurements of "
        "every project it leads (the department record's procurement_shares; null while procurement is not installed).",
    )
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        project = project_policies.project_for(request.user, project_id, "review")
        project_policies.require(request.user.has_role(Role.NDRC_OFFICER), ReviewError.TRACK_RECORD_NDRC_ONLY)
        rows, total = selectors.department_history(project=project, language=language_of(request))
        return Response(
            {
                "department": project.lead_department.code,
                "total": total,
                "procurement_shares": selectors.department_shares(project=project),
                "projects": [
                    {
                        "id": str(r["project"].pk),
                        "code": r["project"].code,
                        "name": r["project"].name,
                        "stage": r["project"].stage,
                        "failing": r["counts"],
                        "rules": [f.rule for f in r["failing"]],
                    }
                    for r in rows
                ],
            }
        )
