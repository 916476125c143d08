from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", pgettext_lazy("inspection kind", "Inspection")
    AUDIT = "audit", pgettext_lazy("inspection kind", "Audit")


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
    IN_PROGRESS = "in_progress", pgettext_lazy("inspection state", "In progress")
    REPORT_ISSUED = "report_issued", pgettext_lazy("inspection state", "Report issued")
    CLOSED = "closed", pgettext_lazy("inspection state", "Closed")


class ItemState(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification state", "Open")
    SUBMITTED = "submitted", pgettext_lazy("rectification state", "Answered")
    CLOSED = "closed", pgettext_lazy("rectification state", "Closed")


class EventKind(models.TextChoices):
    ANSWER = "answer", pgettext_lazy("rectification step", "Answer")
    CLOSE = "close", pgettext_lazy("rectification step", "Close")
    REOPEN = "reopen", pgettext_lazy("rectification step", "Reopen")
