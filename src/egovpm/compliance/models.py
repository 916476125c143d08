"""The stored verdict of each project (ADR 0013). Derived data: everything here can be rebuilt
from the records by `egovpm refresh-compliance --all`; nothing else writes it."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from egovpm.projects.models import Project

HEALTH = (("red", "red"), ("amber", "amber"), ("green", "green"))


class ProjectVerdict(models.Model):
    """The project's compliance as last evaluated, and whether that is still right.

    Fresh ⇔ evaluated_generation == generation ∧ (valid_until is null ∨ valid_until ≥ today) ∧
    pack_sha256 == the current pack's. `generation` is bumped in the transaction of every audited
    change of the project; `evaluated_generation` is the generation the results were computed from
    (0 = never)."""

    project = models.OneToOneField(Project, primary_key=True, related_name="verdict", on_delete=models.CASCADE)
    generation = models.PositiveBigIntegerField(default=1)
    evaluated_generation = models.PositiveBigIntegerField(default=0)
    evaluated_on = models.DateField(null=True, blank=True)  # the Beijing date the results are as of
    valid_until = models.DateField(null=True, blank=True)  # last date they hold; null: while records do not change
    pack_version = models.CharField(max_length=40, blank=True, default="")
    pack_sha256 = models.CharField(max_length=64, blank=True, default="")
    health = models.CharField(max_length=5, choices=HEALTH, blank=True, default="")
    bad = models.PositiveIntegerField(default=0)  # errors, and failed gate/violation rules
    warn = models.PositiveIntegerField(default=0)  # failed warning/info rules
    # [[rule, status, key?, args?], …] in pack order (services.compact / expand): enough to render the
    # messages in any language (engine.render); dates ISO strings, Decimals strings
    results = models.JSONField(default=list, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["health"], name="verdict_health"),
            models.Index(fields=["project"], condition=~Q(evaluated_generation=F("generation")), name="verdict_stale"),
            models.Index(fields=["valid_until"], name="verdict_valid_until"),
            models.Index(fields=["evaluated_on"], name="verdict_evaluated_on"),
            # the rows evaluated with another pack than the current ones (selectors._outside)
            models.Index(fields=["pack_sha256"], name="verdict_pack"),
        ]

    def __str__(self) -> str:
        return f"verdict of {self.project_id}: {self.health or 'not evaluated'}"


class RuleFailure(models.Model):
    """One failing (or erroring) rule of a project's stored verdict; rebuilt on every refresh.

    No database FK constraint: a refresh must never wait for a lock on the project row while it
    holds verdict rows (a transition holds the project row and then bumps the verdict: ADR 0013).
    Deleting a project still cascades here through Django."""

    project = models.ForeignKey(
        Project, related_name="rule_failures", on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    rule = models.CharField(max_length=20)
    clause = models.CharField(max_length=40)
    severity = models.CharField(max_length=10)
    status = models.CharField(max_length=10)  # fail | error

    class Meta:
        indexes = [
            models.Index(fields=["rule", "project"], name="rule_failure_rule_project"),
            models.Index(fields=["project"], name="rule_failure_project"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.status} in {self.project_id}"
