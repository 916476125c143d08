"""The refusals of the audit log: codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class AuditError(ErrorCode):
    AUDIT_ADMIN_ONLY = "audit_admin_only"


register(AuditError, {AuditError.AUDIT_ADMIN_ONLY: _("Only the audit administrator reads the audit log.")})
