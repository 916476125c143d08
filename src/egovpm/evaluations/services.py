"""Writes of the evaluations app: the approved-goals snapshot (a transition hook), NDRC's indicator
templates and the post-evaluation (clause 8; domain.md §11.3). Each write is one transaction:
lock, check, change, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, Forbidden, InvalidInput, NotFound
from egovpm.core.validators import date_field, text_error
from egovpm.documents.choices import Category
from egovpm.documents.models import Document
from egovpm.evaluations import policies, scoring, selectors
from egovpm.evaluations.choices import Conclusion, GoalRatingChoice
from egovpm.evaluations.errors import EvaluationError
from egovpm.evaluations.models import ApprovedGoals, EvaluationTemplate, GoalRating, LeafScore, PostEvaluation
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import Action, Stage
from egovpm.projects.models import Project, StageEvent


def goal_lines(text: str) -> list[str]:
    """The goals of a construction_goals text: one per non-blank line, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def approved_goals_snapshot(project: Project, event: StageEvent, actor: User) -> None:
    """Transition hook (projects.services.register_transition_hook), inside the move's transaction:
    when NDRC approves the preliminary design, keep the construction goals as they stand. No audit
    row of its own: it is part of the approval, whose audit row names the move."""
    if event.action != Action.APPROVE_PRELIMINARY_DESIGN:
        return
    ApprovedGoals.objects.create(
        project=project, event=event, goals=goal_lines(project.construction_goals), recorded_at=event.at
    )


# ------------------------------------------------------------------ indicator templates


def template_add(*, actor: User, name: Any, indicators: Any, description: Any = "") -> EvaluationTemplate:
    """A new indicator template, or a new version of the one with this name (versions are never
    changed: a recorded evaluation keeps the version it was scored with). NDRC only (403)."""
    if not policies.may_manage_templates(actor):
        raise Forbidden(EvaluationError.TEMPLATES_NDRC_ONLY)
    errors: dict[str, FieldError] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 200:
        errors["name"] = FieldError(CoreError.REQUIRED)
    elif (problem := text_error(name)) is not None:
        errors["name"] = problem
    description = description.strip() if isinstance(description, str) else ""
    try:
        tree = scoring.validate_tree(indicators)
    except InvalidInput as e:
        errors.update(e.fields)  # type: ignore[arg-type]  # the tree's field errors are FieldError each
        tree = []
    if errors:
        raise InvalidInput(EvaluationError.TEMPLATE_NOT_ADDED, fields=errors)
    with transaction.atomic():
        # serialise the versions of one name: lock the rows of that name (none for a new name; two
        # first versions at once meet the unique (name, version) constraint: 409, try again)
        versions = list(
            EvaluationTemplate.objects.select_for_update().filter(name=name).values_list("version", flat=True)
        )
        try:
            with transaction.atomic():
                template = EvaluationTemplate.objects.create(
                    name=name,
                    version=max(versions, default=0) + 1,
                    description=description,
                    tree=tree,
                    created_by=actor,
                    created_at=clock.now(),
                )
        except IntegrityError:
            raise Conflict(EvaluationError.TEMPLATE_VERSION_RACE) from None
        audit_record(
            actor=actor,
            action=AuditAction.EVALUATION_TEMPLATE_ADD,
            obj=template,
            new={"name": name, "version": template.version, "leaves": len(list(scoring.leaves(tree)))},
        )
    return template


def template_for(user: User, template_id: Any) -> EvaluationTemplate:
    if not policies.may_read_templates(user):
        raise Forbidden(EvaluationError.TEMPLATES_NOT_READABLE)
    template = selectors.template_get(template_id)
    if template is None:
        raise NotFound(EvaluationError.TEMPLATE_NOT_FOUND)
    return template


# ------------------------------------------------------------------ post-evaluation


def _text(value: Any, field: str, errors: dict[str, FieldError], *, required: bool, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[field] = FieldError(CoreError.INVALID)
    elif required and not text:
        errors[field] = FieldError(CoreError.REQUIRED)
    elif len(text) > limit:
        errors[field] = FieldError(CoreError.INVALID)
    elif text and (problem := text_error(text, multiline=limit > 200)) is not None:
        errors[field] = problem
    return text


def _ratings(value: Any, goals: list[str], errors: dict[str, FieldError]) -> list[tuple[int, str, str, str]]:
    """(position, goal, rating, evidence) for every approved goal, in their order; every goal
    exactly once, nothing else (400 naming `goals`)."""
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        errors["goals"] = FieldError(EvaluationError.GOALS_SHAPE)
        return []
    positions = {goal: i for i, goal in enumerate(goals, start=1)}
    rated: dict[int, tuple[int, str, str, str]] = {}
    for i, item in enumerate(value):
        goal = item.get("goal")
        goal = goal.strip() if isinstance(goal, str) else goal
        if goal not in positions:
            errors["goals"] = FieldError(EvaluationError.GOAL_UNKNOWN, {"goal": str(goal)})
            return []
        position = positions[goal]
        if position in rated:
            errors["goals"] = FieldError(EvaluationError.GOAL_TWICE, {"goal": goal})
            return []
        rating = item.get("rating")
        if rating not in GoalRatingChoice.values:
            errors[f"goals[{i}].rating"] = FieldError(
                EvaluationError.ONE_OF, {"choices": ", ".join(GoalRatingChoice.values)}
            )
        evidence = _text(item.get("evidence", ""), f"goals[{i}].evidence", errors, required=False, limit=4000)
        rated[position] = (position, goal, str(rating), evidence)
    unrated = [goal for goal, position in positions.items() if position not in rated]
    if unrated:
        errors["goals"] = FieldError(EvaluationError.GOALS_UNRATED, {"goals": "；".join(unrated)})
    return [rated[p] for p in sorted(rated)]


def _in_operation_since(project: Project) -> dt.date | None:
    event = (
        StageEvent.objects.filter(project=project, action=Action.PASS_COMPLETION_ACCEPTANCE)
        .order_by("-seq")
        .values_list("effective_date", flat=True)
        .first()
    )
    return event


def post_evaluation_add(
    *,
    actor: User,
    project_id: Any,
    evaluated_on: Any = None,
    organisation: Any = None,
    efficiency_score: Any = None,
    effect_score: Any = None,
    goals: Any = None,
    conclusion: Any = None,
    report: Any = None,
    template: Any = None,
    scores: Any = None,
) -> PostEvaluation:
    """后评价 (api.md POST /projects/{id}/post-evaluations): outside scope 404; neither NDRC nor an
    assigned evaluator 403; project not in operation 409; any bad field 400 naming it — and then
    nothing is written. With `template` the two scores come from the leaf `scores`."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "write", for_update=True)
        project_policies.require(policies.may_evaluate(actor, project), EvaluationError.EVALUATOR_ONLY)
        if project.stage != Stage.IN_OPERATION:
            raise Conflict(EvaluationError.NOT_IN_OPERATION, {"stage": Stage(project.stage).label})
        snapshot = selectors.approved_goals(project=project)
        if snapshot is None:
            raise Conflict(EvaluationError.NO_APPROVED_GOALS)
        errors: dict[str, FieldError] = {}
        day = date_field(evaluated_on, "evaluated_on", errors)
        since = _in_operation_since(project)
        if day is not None and day > clock.today():
            errors["evaluated_on"] = FieldError(CoreError.DATE_IN_FUTURE)
        elif day is not None and since is not None and day < since:
            errors["evaluated_on"] = FieldError(EvaluationError.BEFORE_OPERATION, {"date": since.isoformat()})
        organisation = _text(organisation, "organisation", errors, required=True, limit=200)
        ratings = _ratings(goals, list(snapshot.goals), errors)
        if conclusion not in Conclusion.values:
            errors["conclusion"] = FieldError(EvaluationError.ONE_OF, {"choices": ", ".join(Conclusion.values)})
        document = _report(project, report, errors)
        chosen, leaf_scores, computed = _scored(template, scores, errors)
        entered: dict[str, int] = {}
        for field, value in (("efficiency_score", efficiency_score), ("effect_score", effect_score)):
            if chosen is not None:
                if value not in (None, ""):
                    errors[field] = FieldError(EvaluationError.SCORE_COMPUTED)
                continue
            score = scoring.parse_score(value)
            if score is None:
                errors[field] = FieldError(CoreError.REQUIRED if value in (None, "") else EvaluationError.SCORE_RANGE)
            else:
                entered[field] = score
        if errors:
            raise InvalidInput(EvaluationError.NOT_RECORDED, fields=errors)
        assert day is not None and document is not None
        if computed is not None:
            efficiency, effect, total = computed.efficiency, computed.effect, computed.total
        else:
            efficiency, effect, total = Decimal(entered["efficiency_score"]), Decimal(entered["effect_score"]), None
        evaluation = PostEvaluation.objects.create(
            project=project,
            approved_goals=snapshot,
            evaluated_on=day,
            organisation=organisation,
            efficiency_score=efficiency,
            effect_score=effect,
            total_score=total,
            conclusion=conclusion,
            report=document,
            template=chosen,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        GoalRating.objects.bulk_create(
            GoalRating(evaluation=evaluation, position=p, goal=g, rating=r, evidence=e) for p, g, r, e in ratings
        )
        LeafScore.objects.bulk_create(
            LeafScore(evaluation=evaluation, code=code, score=score) for code, score in leaf_scores.items()
        )
        evaluation.refresh_from_db()  # the Decimal fields as stored
        audit_record(
            actor=actor,
            action=AuditAction.POST_EVALUATION_ADD,
            obj=evaluation,
            project_id=str(project.pk),
            new={
                "evaluated_on": day.isoformat(),
                "organisation": organisation,
                "efficiency_score": str(evaluation.efficiency_score),
                "effect_score": str(evaluation.effect_score),
                "total_score": None if evaluation.total_score is None else str(evaluation.total_score),
                "conclusion": conclusion,
                "report": str(document.pk),
                "template": None if chosen is None else f"{chosen.name} v{chosen.version}",
                "goals": {g: r for _, g, r, _ in ratings},
            },
        )
    return evaluation


def _report(project: Project, report: Any, errors: dict[str, FieldError]) -> Document | None:
    if report in (None, ""):
        errors["report"] = FieldError(CoreError.REQUIRED)
        return None
    document = selectors.report_document(project=project, document_id=report)
    if document is None or document.category != Category.POST_EVALUATION_REPORT:
        errors["report"] = FieldError(EvaluationError.REPORT_INVALID)
        return None
    return document


def _scored(
    template: Any, scores: Any, errors: dict[str, FieldError]
) -> tuple[EvaluationTemplate | None, dict[str, int], scoring.Scores | None]:
    if template in (None, ""):
        if scores not in (None, {}, ""):
            errors["scores"] = FieldError(EvaluationError.SCORES_NEED_TEMPLATE)
        return None, {}, None
    chosen = selectors.template_get(template)
    if chosen is None:
        errors["template"] = FieldError(EvaluationError.TEMPLATE_NOT_FOUND)
        return None, {}, None
    try:
        leaf_scores = scoring.check_scores(chosen.tree, scores)
    except InvalidInput as e:
        errors.update(e.fields)  # type: ignore[arg-type]  # check_scores gives a FieldError per field
        return chosen, {}, None
    return chosen, leaf_scores, scoring.compute(chosen.tree, leaf_scores)
