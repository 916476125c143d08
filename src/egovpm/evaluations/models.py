"""Records of post-evaluation (后评价, clause 8; domain.md §11.3): the approved goals as they stood
when the preliminary design was approved, NDRC's indicator templates (immutable versions), and the
evaluations with their goal ratings and, when a template was used, the leaf scores."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.documents.models import Document
from egovpm.evaluations.choices import Conclusion, GoalRatingChoice
from egovpm.projects.models import Project, StageEvent

# Scores computed from a template are exact decimals (max_digits 20, decimal_places 16): weights
# carry at most 2 decimal places and a tree at most scoring.MAX_LEVELS (4) levels, so
# Σ weight-products × score / 100^levels has at most 16.


class ApprovedGoals(models.Model):
    """The construction goals (one per non-blank line of Project.construction_goals) as they stood
    when NDRC approved the preliminary design. Written by a transition hook; never edited, so
    later edits of the project's goals do not move what a post-evaluation rates. `approximate`:
    written by the data migration from the goals of that day, not at the approval itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="approved_goals")
    event = models.OneToOneField(StageEvent, on_delete=models.PROTECT, related_name="approved_goals")
    goals = models.JSONField(default=list)
    approximate = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "recorded_at"]


class EvaluationTemplate(models.Model):
    """An indicator system (指标体系) version: a tree of indicators with weights summing to 100 at
    each level. Never changed: a change is a new version (same name, version + 1)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(_("description"), blank=True)
    tree = models.JSONField(default=list)  # [{"code","name","weight","dimension"?,"children":[…]}]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="evaluation_template_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class PostEvaluation(models.Model):
    """One post-evaluation of a project in operation. Without a template the two scores are the
    integers entered; with one they are computed from the leaf scores (exact decimals) and the
    template version is kept with the evaluation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="post_evaluations")
    approved_goals = models.ForeignKey(ApprovedGoals, on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField(_("evaluated on"))
    organisation = models.CharField(_("evaluating organisation"), max_length=200)
    efficiency_score = models.DecimalField(_("operational efficiency"), max_digits=20, decimal_places=16)
    effect_score = models.DecimalField(_("usage effect"), max_digits=20, decimal_places=16)
    total_score = models.DecimalField(_("total score"), null=True, blank=True, max_digits=20, decimal_places=16)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices)
    report = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        EvaluationTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "evaluated_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(conclusion__in=Conclusion.values), name="evaluation_conclusion")
        ]
        indexes = [models.Index(fields=["project", "evaluated_on"], name="post_evaluation_project_date")]


class GoalRating(models.Model):
    evaluation = models.ForeignKey(PostEvaluation, on_delete=models.CASCADE, related_name="ratings")
    position = models.PositiveIntegerField()  # 1-based line of the approved goals
    goal = models.TextField()
    rating = models.CharField(max_length=20, choices=GoalRatingChoice.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "position"], name="goal_rating_once")]


class LeafScore(models.Model):
    evaluation = models.ForeignKey(PostEvaluation, on_delete=models.CASCADE, related_name="leaf_scores")
    code = models.CharField(max_length=20)  # the leaf's code in the template ("1.2.3")
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["evaluation", "code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="leaf_score_once")]
