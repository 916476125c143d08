"""The procurement register's vocabularies (domain.md §11.1, §11.2; api.md "Procurement and
delivery modes"). The values are what the API carries and the rows store."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INFO_SECURITY_EQUIPMENT = "info_security_equipment", _("Information-security equipment")
    CORE_NETWORK_EQUIPMENT = "core_network_equipment", _("Core network equipment")
    BASIC_SOFTWARE = "basic_software", _("Basic software")
    SYSTEM_SOFTWARE = "system_software", _("System software")
    APPLICATION_SOFTWARE = "application_software", _("Business application software")
    OTHER = "other", _("Other")


# The notice's five key categories (clause 5): the shares' key_total is over these.
KEY_CATEGORIES: tuple[str, ...] = (
    Category.INFO_SECURITY_EQUIPMENT,
    Category.CORE_NETWORK_EQUIPMENT,
    Category.BASIC_SOFTWARE,
    Category.SYSTEM_SOFTWARE,
    Category.APPLICATION_SOFTWARE,
)


class Method(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    SINGLE_SOURCE = "single_source", _("Single source")
    INQUIRY = "inquiry", _("Inquiry")
    FRAMEWORK_AGREEMENT = "framework_agreement", _("Framework agreement")


# Tendering (招标) in the sense of C5.2: these never need a non-tender reason.
TENDER_METHODS: frozenset[str] = frozenset({Method.OPEN_TENDER, Method.INVITED_TENDER})


class DeliveryModeKind(models.TextChoices):
    SERVICE_OUTSOURCING = "service_outsourcing", _("Service outsourcing")
    DATA_HOSTING = "data_hosting", _("Data hosting")
