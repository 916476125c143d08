"""The roles a user can hold (domain.md §2).

A vocabulary every app checks against, so it lives in core, the bottom layer: the audit app
checks `AUDIT_ADMIN` without importing accounts (which itself writes audit rows). The accounts
app stores the roles (UserRole) and re-exports these names from `egovpm.accounts.choices`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DEPT_STAFF = "dept_staff", _("Department staff")
    DEPT_LEADER = "dept_leader", _("Department leader")
    NDRC_OFFICER = "ndrc_officer", _("NDRC officer")
    MOF_VIEWER = "mof_viewer", _("Ministry of Finance reviewer")
    EXPERT = "expert", _("Expert")
    INSPECTOR = "inspector", _("Inspector")
    ARCHIVIST = "archivist", _("Archivist")
    SYS_ADMIN = "sys_admin", _("System administrator")
    SEC_ADMIN = "sec_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


DEPARTMENT_ROLES = frozenset({Role.DEPT_STAFF, Role.DEPT_LEADER})
ASSIGNED_ROLES = frozenset({Role.EXPERT, Role.INSPECTOR, Role.ARCHIVIST})
ADMIN_ROLES = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN})
