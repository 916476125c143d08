"""Post-evaluations and indicator templates over HTTP (api.md "Inspections, rectification,
post-evaluation"; the template endpoints are this app's, docs/evaluations.md). Views translate;
services and selectors decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core.api import paginated
from egovpm.core.validators import LongText, ShortText
from egovpm.evaluations import scoring, selectors, services
from egovpm.evaluations.models import EvaluationTemplate, PostEvaluation
from egovpm.web.inbox import kept_get


def _score(value: Any) -> str | None:
    return None if value is None else scoring.plain(value)


class EvaluationOut(serializers.Serializer):
    def to_representation(self, instance: PostEvaluation) -> dict[str, Any]:
        e = instance
        return {
            "id": str(e.pk),
            "project": str(e.project_id),
            "evaluated_on": e.evaluated_on.isoformat(),
            "organisation": e.organisation,
            "efficiency_score": _score(e.efficiency_score),
            "effect_score": _score(e.effect_score),
            "total_score": _score(e.total_score),
            "conclusion": e.conclusion,
            "report": str(e.report_id),
            "template": None
            if e.template is None
            else {"id": str(e.template.pk), "name": e.template.name, "version": e.template.version},
            "scores": {s.code: s.score for s in e.leaf_scores.all()},
            "goals": [{"goal": r.goal, "rating": r.rating, "evidence": r.evidence} for r in e.ratings.all()],
            "approved_goals_approximate": e.approved_goals.approximate,
            "recorded_by": e.recorded_by.username,
            "recorded_at": e.recorded_at.isoformat(),
        }


class EvaluationIn(serializers.Serializer):
    """The body of api.md (documentation only: the service checks every field and names it)."""

    evaluated_on = serializers.DateField()
    organisation = ShortText()
    efficiency_score = serializers.IntegerField(min_value=0, max_value=100, required=False)
    effect_score = serializers.IntegerField(min_value=0, max_value=100, required=False)
    goals = serializers.ListField(child=serializers.DictField())
    conclusion = ShortText()
    report = serializers.UUIDField()
    template = serializers.UUIDField(required=False)
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100), required=False)


FIELDS = ("evaluated_on", "organisation", "efficiency_score", "effect_score", "goals", "conclusion", "report")


class PostEvaluationListView(APIView):
    @extend_schema(responses={200: EvaluationOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        rows = selectors.evaluation_list(user=request.user, project_id=project_id)
        return paginated(request, self, rows, EvaluationOut)

    @extend_schema(request=EvaluationIn, responses={201: EvaluationOut})
    def post(self, request: AuthenticatedRequest, project_id: str) -> Response:
        data = request.data
        given = {f: data.get(f) for f in (*FIELDS, "template", "scores")}
        evaluation = services.post_evaluation_add(actor=request.user, project_id=project_id, **given)
        evaluation = selectors.project_evaluations(project=evaluation.project).get(pk=evaluation.pk)
        return Response(EvaluationOut(evaluation).data, status=status.HTTP_201_CREATED)


class TemplateOut(serializers.Serializer):
    def to_representation(self, instance: EvaluationTemplate) -> dict[str, Any]:
        t = instance
        return {
            "id": str(t.pk),
            "name": t.name,
            "version": t.version,
            "description": t.description,
            "indicators": t.tree,
            "leaves": len(list(scoring.leaves(t.tree))),
            "created_by": t.created_by.username,
            "created_at": t.created_at.isoformat(),
        }


class TemplateIn(serializers.Serializer):
    """`indicators`: [{"name", "weight": "25" (string or integer), "dimension": "efficiency|effect"
    (top level only), "children"?: [...]}] — siblings' weights sum to exactly 100."""

    name = ShortText()
    description = LongText(required=False)
    indicators = serializers.ListField(child=serializers.DictField())


class TemplateListView(APIView):
    @extend_schema(responses={200: TemplateOut(many=True)})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest) -> Response:
        return paginated(request, self, selectors.templates(user=request.user), TemplateOut)

    @extend_schema(request=TemplateIn, responses={201: TemplateOut})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = request.data
        template = services.template_add(
            actor=request.user,
            name=data.get("name"),
            indicators=data.get("indicators"),
            description=data.get("description", ""),
        )
        return Response(TemplateOut(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailView(APIView):
    @extend_schema(responses={200: TemplateOut})
    def get(self, request: AuthenticatedRequest, template_id: str) -> Response:
        return Response(TemplateOut(services.template_for(request.user, template_id)).data)
