"""Codes of the reviews app (domain.md §10): recommendations, review states, how a panel was formed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Recommendation(models.TextChoices):
    """An expert's opinion and NDRC's conclusion use the same three words (api.md)."""

    APPROVE = "approve", _("Approve")
    REVISE = "revise", _("Approve after revision")
    REJECT = "reject", _("Reject")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Collecting opinions")
    CONCLUDED = "concluded", _("Concluded")


class FormedBy(models.TextChoices):
    NAMED = "named", _("Experts named by NDRC")
    DRAW = "draw", _("Random draw from the pool")


# The managed list of specialties a fresh database starts with (NDRC adds more in the UI or API).
DEFAULT_SPECIALTIES = (
    ("gov_apps", "政务应用", "E-government applications"),
    ("network_security", "网络与安全", "Networks and security"),
    ("data_resources", "数据资源", "Data resources"),
    ("investment", "投资概算", "Investment estimates"),
    ("archives", "档案管理", "Records management"),
)
