from django.db import models
from django.utils.translation import gettext_lazy as _

# The roles are core's vocabulary (egovpm.core.roles, so that the audit app can check them without
# importing accounts); re-exported here, where every app imports them from.
from egovpm.core.roles import ADMIN_ROLES, ASSIGNED_ROLES, DEPARTMENT_ROLES, Role

__all__ = ["ADMIN_ROLES", "ASSIGNED_ROLES", "DEPARTMENT_ROLES", "DepartmentKind", "Role"]


class DepartmentKind(models.TextChoices):
    CENTRAL = "central", _("Central ministry or agency")
    LOCAL = "local", _("Local government department")
    NDRC = "ndrc", _("NDRC")
    MOF = "mof", _("Ministry of Finance")
    ARCHIVES = "archives", _("Archives authority")
    AGENCY = "agency", _("Commissioned agency")
