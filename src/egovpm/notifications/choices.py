"""The kinds of message (each with its own e-mail switch in a user's preferences)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PANEL_FORMED = "panel_formed", _("You were placed on an expert panel")
    OPINION_DUE = "opinion_due", _("An expert opinion is due")
    DECISION_MADE = "decision_made", _("A decision was made on your request")
    REPORT_DUE = "report_due", _("A progress report is due or overdue")
    ACKNOWLEDGED = "acknowledged", _("A filing or report was acknowledged")
    RECTIFICATION = "rectification", _("A rectification item is due or reopened")
    CHASE = "chase", _("NDRC chases a waiting item (催办)")


# Who a chase goes to: the project's lead department, or one named user of the project.
CHASE_DEPARTMENT = "department"

# 15, 7 and 1 days before a report is due, and once it is overdue (egovpm remind).
REPORT_DUE_DAYS = (15, 7, 1)
# An expert without an opinion is reminded this many days before the panel's due date, and once overdue.
OPINION_DUE_DAYS = 3
