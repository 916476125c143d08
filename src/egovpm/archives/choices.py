from django.db import models
from django.utils.translation import gettext_lazy as _


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
