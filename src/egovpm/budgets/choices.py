"""Budget control (clause 3, domain.md §5) as data: adjustment states, routes, reasons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.projects.choices import Stage


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STALE = "stale", _("Stale")


class Route(models.TextChoices):
    SELF_APPROVAL = "self_approval", _("Self-approval by the department")
    NDRC_APPROVAL = "ndrc_approval", _("Approval by NDRC")


class Reason(models.TextChoices):
    OPTIMIZATION = "optimization", _("Technical solution improved or optimised")
    NEW_POLICY = "new_policy", _("New national policy or task set by the central leadership")
    SCHEDULE = "schedule", _("Business needs shifting the schedule within the approved plan")
    OTHER = "other", _("Other reason")


class BaselineSource(models.TextChoices):
    PRELIMINARY_DESIGN = "preliminary_design", _("Preliminary design and estimate approved")
    NDRC_ADJUSTMENT = "ndrc_adjustment", _("Adjustment approved by NDRC")


# The estimate is edited only before approve_preliminary_design (domain.md §3: it becomes the
# baseline on approval and changes only through adjustments afterwards).
ESTIMATE_EDITABLE_STAGES = (
    Stage.DRAFT,
    Stage.NEEDS_ANALYSIS,
    Stage.PROPOSAL,
    Stage.FEASIBILITY_STUDY,
    Stage.PRELIMINARY_DESIGN,
)
# Adjustment requests are made and decided while the project is being built.
ADJUSTABLE_STAGES = (Stage.CONSTRUCTION, Stage.TRIAL_OPERATION, Stage.ACCEPTANCE)

# Reason codes of a failing routing condition (domain.md §5), in the order of C3.1–C3.4.
EXCEEDS_TOTAL = "exceeds_total"
GOALS_CHANGED = "goals_changed"
OVER_15_PERCENT = "over_15_percent"
REASON_NOT_ALLOWED = "reason_not_allowed"
FAILURE_RULE = {
    EXCEEDS_TOTAL: "C3.1",
    GOALS_CHANGED: "C3.2",
    OVER_15_PERCENT: "C3.3",
    REASON_NOT_ALLOWED: "C3.4",
}
