"""Records of requirements analysis and expert review (clauses 2 and 10, domain.md §10).

- Specialty / ExpertProfile: the expert pool (专家库) NDRC manages.
- ExpertReview: one panel for one project's needs analysis, with how it was formed (named, or a
  reproducible random draw: seed + ordered candidate list), the members' opinions and NDRC's
  conclusion. Once concluded, `record` holds the immutable expert-opinion record (专家评议意见).
- NeedsAnalysis: the project's needs-analysis facts that are not a document — the co-authoring
  departments of the report (C10.2, joint central–local projects)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import Department
from egovpm.projects.models import Project
from egovpm.reviews.choices import FormedBy, Recommendation, ReviewStatus


class Specialty(models.Model):
    """One entry of the managed list of specialties (政务应用, 网络与安全 …)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ExpertProfile(models.Model):
    """A user with the `expert` role enters the pool with a profile. The affiliation is the user's
    own department (conflicts of interest are judged on it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile")
    specialties = models.ManyToManyField(Specialty, related_name="experts", blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.username


class ExpertReview(models.Model):
    """专家评议: one panel reviewing one project's needs-analysis report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="expert_reviews")
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    formed_by = models.CharField(max_length=8, choices=FormedBy.choices)
    formed_at = models.DateTimeField()
    # 第几次评议: 1, 2, … in the order the project's panels were formed (the rules judge the latest;
    # instants can tie, a number cannot).
    number = models.PositiveSmallIntegerField(default=1)
    organised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    # The draw, recorded so an auditor can replay it (services.draw_select): the seed, the size and
    # specialties asked for, every candidate in the order they were considered, and who was left
    # out for a conflict of interest and why.
    draw_seed = models.CharField(max_length=64, blank=True)
    draw_size = models.PositiveSmallIntegerField(null=True, blank=True)
    draw_specialties = models.JSONField(default=list, blank=True)
    draw_candidates = models.JSONField(default=list, blank=True)
    draw_excluded = models.JSONField(default=list, blank=True)
    conclusion = models.CharField(max_length=8, choices=Recommendation.choices, blank=True)
    conclusion_text = models.TextField(blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    # The immutable expert-opinion record: conclusion + every opinion as they stood at conclusion,
    # and the SHA-256 of its canonical JSON (the DOCX is rendered from it, never from live rows).
    record = models.JSONField(null=True, blank=True)
    record_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-formed_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ReviewStatus.values), name="review_status_valid"),
            models.CheckConstraint(condition=models.Q(formed_by__in=FormedBy.values), name="review_formed_by_valid"),
            models.CheckConstraint(
                condition=models.Q(status=ReviewStatus.OPEN, conclusion="")
                | models.Q(
                    status=ReviewStatus.CONCLUDED,
                    conclusion__in=Recommendation.values,
                    concluded_at__isnull=False,
                ),
                name="review_concluded_has_conclusion",
            ),
            models.UniqueConstraint(fields=["project", "number"], name="review_number_once_per_project"),
            # one panel at a time per project
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status=ReviewStatus.OPEN), name="one_open_review_per_project"
            ),
        ]
        indexes = [
            # the 专家评议 page, newest first (a page's ids read from the index alone, selectors.Paged);
            # a department's reviews by their projects, newest first; 待办's open panels, the soonest due first
            models.Index(fields=["-formed_at", "id"], name="review_formed_id"),
            models.Index(fields=["project", "-formed_at", "id"], name="review_project_formed"),
            models.Index(
                fields=["due_on", "formed_at", "id"],
                condition=models.Q(status=ReviewStatus.OPEN),
                name="review_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"专家评议 {self.project.code} {self.formed_at:%Y-%m-%d}"


class PanelMember(models.Model):
    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_panels")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["review", "position"]
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="panel_member_once")]
        # serves "my reviews" (an expert's list and 待办)
        indexes = [models.Index(fields=["expert"], name="panel_member_expert")]


class Opinion(models.Model):
    """One expert's opinion on one review: given once, changeable until the panel is concluded."""

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="opinions")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(max_length=8, choices=Recommendation.choices)
    text = models.TextField()
    # Optional attachment, stored content-addressed like documents (documents/storage.py).
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(null=True, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_sm3 = models.CharField(max_length=64, blank=True)
    given_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "given_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "expert"], name="one_opinion_per_expert"),
            models.CheckConstraint(
                condition=models.Q(recommendation__in=Recommendation.values), name="opinion_recommendation_valid"
            ),
        ]


class NeedsAnalysis(models.Model):
    """The needs-analysis facts of a project that are not a file: who co-authored the report."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="needs_analysis")
    co_authors = models.ManyToManyField(Department, related_name="co_authored_needs_analyses", blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
