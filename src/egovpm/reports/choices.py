"""Report kinds, statuses, sections and recipients (domain.md §6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.rules import facts_reports as fr


class ReportKind(models.TextChoices):
    HALF_YEAR = fr.HALF_YEAR, _("Half-year report")
    ANNUAL = fr.ANNUAL, _("Annual report")


class ReportStatus(models.TextChoices):
    PENDING = fr.PENDING, _("Not due yet")
    OVERDUE = fr.OVERDUE, _("Overdue")
    SUBMITTED_ON_TIME = fr.ON_TIME, _("Submitted on time")
    SUBMITTED_LATE = fr.LATE, _("Submitted late")
    RETURNED = fr.RETURNED, _("Returned for revision")


class SelfAssessment(models.TextChoices):
    """The department's own view of the project in a half-year or annual report (domain.md §13):
    the cockpit sets it beside the computed health ("红灯但自评正常")."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class Section(models.TextChoices):
    """The five sections clause 4 names, in the order of the report (api.md keys)."""

    PROGRESS = "progress", _("Construction progress")
    CONTENT = "content", _("Content implemented")
    TENDERING = "tendering", _("Tendering and bidding")
    BUDGET_EXECUTION = "budget_execution", _("Budget execution")
    PROBLEMS = "problems", _("Problems")


SECTION_KEYS = tuple(Section.values)
SECTION_NUMERALS = ("一", "二", "三", "四", "五")
SECTION_ZH = {
    "progress": "建设进度",
    "content": "实施内容",
    "tendering": "招标投标",
    "budget_execution": "概预算执行",
    "problems": "存在的问题",
}


class Recipient(models.TextChoices):
    """Clause 4 names both recipients; each acknowledges receipt (签收) on its own."""

    NDRC = "ndrc", _("NDRC")
    MOF = "mof", _("Ministry of Finance")


# status → colour class of the UI (ui.md: red overdue, amber due soon, green on time, grey not due)
STATUS_CLASS = {
    fr.PENDING: "na",
    fr.OVERDUE: "bad",
    fr.ON_TIME: "ok",
    fr.LATE: "warn",
    fr.RETURNED: "prog",
}
