"""Lifecycle of regime r2007 (domain.md §4) as data: stages, actions and the transition table.

The one transition service (services.project_transition) reads this table; nothing else decides
which move is legal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    PROPOSAL = "proposal", _("Project proposal")
    FEASIBILITY_STUDY = "feasibility_study", _("Feasibility study")
    PRELIMINARY_DESIGN = "preliminary_design", _("Preliminary design")
    CONSTRUCTION = "construction", _("Construction")
    TRIAL_OPERATION = "trial_operation", _("Trial operation")
    ACCEPTANCE = "acceptance", _("Acceptance")
    IN_OPERATION = "in_operation", _("In operation")
    CANCELLED = "cancelled", _("Cancelled")


class Action(models.TextChoices):
    SUBMIT_NEEDS_ANALYSIS = "submit_needs_analysis", _("Submit needs analysis")
    SUBMIT_PROPOSAL = "submit_proposal", _("Submit project proposal")
    APPROVE_PROPOSAL = "approve_proposal", _("Approve project proposal")
    APPROVE_FEASIBILITY = "approve_feasibility", _("Approve feasibility study")
    APPROVE_PRELIMINARY_DESIGN = "approve_preliminary_design", _("Approve preliminary design and estimate")
    START_TRIAL_OPERATION = "start_trial_operation", _("Start trial operation")
    PASS_PRELIMINARY_ACCEPTANCE = "pass_preliminary_acceptance", _("Pass preliminary acceptance")
    PASS_COMPLETION_ACCEPTANCE = "pass_completion_acceptance", _("Pass completion acceptance")
    RETURN = "return", _("Return for revision")
    CANCEL = "cancel", _("Cancel project")


class Actor(models.TextChoices):
    """Who may take an action (domain.md §4 "by")."""

    DEPT = "dept", _("lead department (staff or leader)")
    DEPT_LEADER = "dept_leader", _("lead department's leader")
    NDRC = "ndrc", _("NDRC officer")
    NDRC_OR_ENTRUSTED = (
        "ndrc_or_entrusted",
        _("NDRC, or the lead department's leader where NDRC entrusted it"),
    )
    NDRC_OR_EARLY_LEADER = (
        "ndrc_or_early_leader",
        _("NDRC; before the proposal is approved also the lead department's leader"),
    )


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: depends on the source (return)
    actor: str
    requires_comment: bool = False
    ndrc_approval: bool = False  # takes an approval document number (批复文号)

    def target_from(self, source: str) -> str:
        if self.target is not None:
            return self.target
        return RETURN_TARGETS[source]


S = Stage
RETURN_TARGETS: dict[str, str] = {S.NEEDS_ANALYSIS: S.DRAFT, S.PROPOSAL: S.NEEDS_ANALYSIS}
BEFORE_PROPOSAL_APPROVAL = (S.DRAFT, S.NEEDS_ANALYSIS, S.PROPOSAL)
ACTIVE = tuple(s for s in S.values if s not in (S.IN_OPERATION, S.CANCELLED))

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT_NEEDS_ANALYSIS, (S.DRAFT,), S.NEEDS_ANALYSIS, Actor.DEPT),
        Transition(Action.SUBMIT_PROPOSAL, (S.NEEDS_ANALYSIS,), S.PROPOSAL, Actor.DEPT),
        Transition(Action.APPROVE_PROPOSAL, (S.PROPOSAL,), S.FEASIBILITY_STUDY, Actor.NDRC, ndrc_approval=True),
        Transition(
            Action.APPROVE_FEASIBILITY,
            (S.FEASIBILITY_STUDY,),
            S.PRELIMINARY_DESIGN,
            Actor.NDRC,
            ndrc_approval=True,
        ),
        Transition(
            Action.APPROVE_PRELIMINARY_DESIGN,
            (S.PRELIMINARY_DESIGN,),
            S.CONSTRUCTION,
            Actor.NDRC,
            ndrc_approval=True,
        ),
        Transition(Action.START_TRIAL_OPERATION, (S.CONSTRUCTION,), S.TRIAL_OPERATION, Actor.DEPT),
        Transition(Action.PASS_PRELIMINARY_ACCEPTANCE, (S.TRIAL_OPERATION,), S.ACCEPTANCE, Actor.DEPT_LEADER),
        Transition(Action.PASS_COMPLETION_ACCEPTANCE, (S.ACCEPTANCE,), S.IN_OPERATION, Actor.NDRC_OR_ENTRUSTED),
        Transition(Action.RETURN, (S.NEEDS_ANALYSIS, S.PROPOSAL), None, Actor.NDRC, requires_comment=True),
        Transition(Action.CANCEL, ACTIVE, S.CANCELLED, Actor.NDRC_OR_EARLY_LEADER, requires_comment=True),
    )
}


class AssignmentTask(models.TextChoices):
    ARCHIVIST = "archivist", _("Archive acceptance")
    INSPECTOR = "inspector", _("Inspection")
    EVALUATOR = "evaluator", _("Post-evaluation")
    EXPERT = "expert", _("Expert review")


# Which role a user needs to be assigned a task.
TASK_ROLE = {
    AssignmentTask.ARCHIVIST: "archivist",
    AssignmentTask.INSPECTOR: "inspector",
    AssignmentTask.EVALUATOR: "inspector",
    AssignmentTask.EXPERT: "expert",
}
