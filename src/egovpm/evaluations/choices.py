from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """What a top-level indicator of a template measures (clause 8: 运行效率 and 应用效果)."""

    EFFICIENCY = "efficiency", _("Operational efficiency")
    EFFECT = "effect", _("Usage effect")


class GoalRatingChoice(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class Conclusion(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    MOSTLY_SUCCESSFUL = "mostly_successful", _("Mostly successful")
    PARTLY_SUCCESSFUL = "partly_successful", _("Partly successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
