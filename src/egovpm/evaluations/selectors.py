"""Reads of the evaluations app: the approved goals, the post-evaluations of a project (through
its scope), the indicator templates, and the conclusions for the department record."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from egovpm.accounts.models import User
from egovpm.documents.models import Document
from egovpm.evaluations import policies
from egovpm.evaluations.choices import Conclusion
from egovpm.evaluations.errors import EvaluationError
from egovpm.evaluations.models import ApprovedGoals, EvaluationTemplate, GoalRating, PostEvaluation
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import AssignmentTask, Stage
from egovpm.projects.models import Assignment, Project


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def approved_goals(*, project: Project) -> ApprovedGoals | None:
    """The goals approved with the preliminary design (the latest approval's snapshot)."""
    return ApprovedGoals.objects.filter(project=project).order_by("-recorded_at").first()


def template_get(template_id: Any) -> EvaluationTemplate | None:
    pk = _uuid(template_id)
    return None if pk is None else EvaluationTemplate.objects.filter(pk=pk).first()


def templates(*, user: User) -> QuerySet[EvaluationTemplate]:
    """Every version of every template, newest version first within a name (NDRC and evaluators)."""
    if not policies.may_read_templates(user):
        from egovpm.core.errors import Forbidden

        raise Forbidden(EvaluationError.TEMPLATES_NOT_READABLE)
    return EvaluationTemplate.objects.select_related("created_by").order_by("name", "-version")


def report_document(*, project: Project, document_id: Any) -> Document | None:
    pk = _uuid(document_id)
    return None if pk is None else Document.objects.filter(project=project, pk=pk).first()


def project_evaluations(*, project: Project) -> QuerySet[PostEvaluation]:
    """The project's post-evaluations, oldest first, with their ratings, leaf scores, template,
    report and recorder loaded (a fixed number of queries whatever their number)."""
    return (
        PostEvaluation.objects.filter(project=project)
        .select_related("template", "report", "recorded_by", "recorded_by__department", "approved_goals")
        .prefetch_related(Prefetch("ratings", queryset=GoalRating.objects.order_by("position")), "leaf_scores")
        .order_by("evaluated_on", "recorded_at")
    )


def evaluation_list(*, user: User, project_id: Any) -> QuerySet[PostEvaluation]:
    """api.md GET /projects/{id}/post-evaluations: outside scope 404; MoF, experts, archivists 403."""
    project = project_policies.project_for(user, project_id)
    project_policies.require(policies.may_read(user, project), EvaluationError.NOT_READABLE)
    return project_evaluations(project=project)


def conclusions_for(projects: Sequence[Project]) -> list[dict[str, Any]]:
    """The seam for the department record and the portfolio: every post-evaluation of these
    projects (already in the caller's scope) as {project, evaluated_on, conclusion, efficiency,
    effect}, by project then date — one query."""
    by_pk = {p.pk: p for p in projects}
    rows = (
        PostEvaluation.objects.filter(project_id__in=list(by_pk))
        .order_by("project_id", "evaluated_on", "recorded_at")
        .values_list("project_id", "evaluated_on", "conclusion", "efficiency_score", "effect_score")
    )
    return [
        {"project": by_pk[pk], "evaluated_on": day, "conclusion": c, "efficiency": eff, "effect": effect}
        for pk, day, c, eff, effect in rows
    ]


def conclusion_figures(projects: QuerySet[Project], as_of: dt.date, today: bool) -> dict[str, int]:
    """The cockpit's `post_evaluations` figure (portfolio/figures.py): the post-evaluations of the
    caller's projects dated on or before `as_of`, by conclusion (every conclusion, 0 when none) —
    ONE aggregate query, whatever the number of projects. Evaluations are dated records, so
    `today` changes nothing."""
    rows = (
        PostEvaluation.objects.filter(project_id__in=projects.values("pk"), evaluated_on__lte=as_of)
        .order_by()
        .values("conclusion")
        .annotate(n=Count("pk"))
        .values_list("conclusion", "n")
    )
    counts = dict(rows)
    return {c: int(counts.get(c, 0)) for c in Conclusion.values}


def ndrc_todo() -> QuerySet[Project]:
    """待办 of NDRC, which organises post-evaluation (clause 8): projects in operation with neither a
    post-evaluation nor an evaluator assigned yet — one query (two subqueries), by code. The caller bounds it."""
    return (
        Project.objects.filter(stage=Stage.IN_OPERATION)
        .exclude(pk__in=PostEvaluation.objects.values("project_id"))
        .exclude(pk__in=Assignment.objects.filter(task=AssignmentTask.EVALUATOR).values("project_id"))
        .order_by("code", "pk")
    )


def evaluator_todo(*, user: User) -> QuerySet[Assignment]:
    """待办 of an evaluator: their `evaluator` assignments on projects in operation that have no
    post-evaluation yet — one query, the longest assigned first. The caller bounds it."""
    return (
        Assignment.objects.filter(user=user, task=AssignmentTask.EVALUATOR, project__stage=Stage.IN_OPERATION)
        .exclude(project_id__in=PostEvaluation.objects.values("project_id"))
        .select_related("project")
        .order_by("assigned_at", "pk")
    )
