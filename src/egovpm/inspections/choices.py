from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    AUDIT = "audit", _("Audit")


class Area(models.TextChoices):
    """The seven scope areas of an inspection (domain.md §11.3)."""

    PROGRESS = "progress", _("Progress")
    CONTENT = "content", _("Construction content")
    GOALS = "goals", _("Goals")
    BUDGET_EXECUTION = "budget_execution", _("Budget execution")
    PROCUREMENT = "procurement", _("Procurement")
    SECURITY = "security", _("Security")
    ARCHIVES = "archives", _("Archives")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    SERIOUS = "serious", _("Serious")


class InspectionState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    REPORT_ISSUED = "report_issued", _("Report issued")
    CLOSED = "closed", _("Closed")


class ItemState(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Answered")
    CLOSED = "closed", _("Closed")


class EventKind(models.TextChoices):
    ANSWER = "answer", _("Answer")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
