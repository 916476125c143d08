from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Clause 9: what the system is for decides which network it belongs on."""

    INTERNAL_OFFICE = "internal_office", _("Internal office, management, coordination, supervision, decision-making")
    PUBLIC_SERVICE = "public_service", _("Social management and public service")


class Network(models.TextChoices):
    GOV_INTRANET = "gov_intranet", _("E-government intranet")
    GOV_EXTRANET = "gov_extranet", _("E-government extranet")
    DEDICATED_EXISTING = "dedicated_existing", _("Existing dedicated department network")
    DEDICATED_NEW = "dedicated_new", _("New dedicated department network")
    INTERNET = "internet", _("Internet")


class ClassifiedTier(models.TextChoices):
    """分级保护 of classified systems (涉密信息系统)."""

    CONFIDENTIAL = "confidential", _("Confidential (秘密)")
    SECRET = "secret", _("Secret (机密)")
    TOP_SECRET = "top_secret", _("Top secret (绝密)")


class EvaluationResult(models.TextChoices):
    """等级测评结论."""

    CONFORMS = "conforms", _("Conforms")
    BASICALLY_CONFORMS = "basically_conforms", _("Basically conforms")
    DOES_NOT_CONFORM = "does_not_conform", _("Does not conform")


PROTECTION_LEVELS = (1, 2, 3, 4, 5)
