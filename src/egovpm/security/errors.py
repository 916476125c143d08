"""The refusals of security (information systems, network exceptions, risk assessments): codes
and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class SecurityError(ErrorCode):
    SYSTEM_NOT_SAVED = "system_not_saved"
    LEVEL_OR_TIER = "level_or_tier"
    EITHER_LEVEL_OR_TIER = "either_level_or_tier"
    RECORD_SYSTEMS_LEAD_ONLY = "record_systems_lead_only"
    EDIT_SYSTEMS_LEAD_ONLY = "edit_systems_lead_only"
    STALE_VERSION = "system_stale_version"
    EXCEPTIONS_NDRC_ONLY = "exceptions_ndrc_only"
    EXCEPTION_REASON_REQUIRED = "exception_reason_required"
    EXCEPTION_NOT_NEEDED = "exception_not_needed"
    NOT_DEDICATED_NEW = "not_dedicated_new"
    ALREADY_GRANTED = "already_granted"
    ASSESSMENTS_LEAD_ONLY = "assessments_lead_only"
    ASSESSMENT_NOT_RECORDED = "assessment_not_recorded"
    SYSTEM_NOT_FOUND = "system_not_found"
    UNKNOWN_FIELDS = "system_unknown_fields"
    NOT_AN_INSTANT = "date_not_instant"
    TRUE_OR_FALSE = "true_or_false"
    ONE_OF = "system_one_of"
    LEVEL_RANGE = "level_range"
    UNKNOWN_DOCUMENT = "unknown_project_document"
    WRONG_REPORT_CATEGORY = "wrong_report_category"


register(
    SecurityError,
    {
        SecurityError.SYSTEM_NOT_SAVED: _("The information system was not saved."),
        SecurityError.LEVEL_OR_TIER: _("A system has a graded-protection level or a classified tier, not both."),
        SecurityError.EITHER_LEVEL_OR_TIER: _("Give either protection_level or classified_tier."),
        SecurityError.RECORD_SYSTEMS_LEAD_ONLY: _("Only the lead department records information systems."),
        SecurityError.EDIT_SYSTEMS_LEAD_ONLY: _("Only the lead department edits information systems."),
        SecurityError.STALE_VERSION: _("The system was changed by someone else; reload and try again."),
        SecurityError.EXCEPTIONS_NDRC_ONLY: _("Only NDRC grants network exceptions."),
        SecurityError.EXCEPTION_REASON_REQUIRED: _("An exception needs its reason."),
        SecurityError.EXCEPTION_NOT_NEEDED: _("Only a system on a new dedicated network needs an exception."),
        SecurityError.NOT_DEDICATED_NEW: _("The system is not on a new dedicated network."),
        SecurityError.ALREADY_GRANTED: _("NDRC has already granted this system an exception."),
        SecurityError.ASSESSMENTS_LEAD_ONLY: _("Only the lead department records risk assessments."),
        SecurityError.ASSESSMENT_NOT_RECORDED: _("The risk assessment was not recorded."),
        SecurityError.SYSTEM_NOT_FOUND: _("Information system not found."),
        SecurityError.UNKNOWN_FIELDS: _("Unknown fields: %(fields)s."),
        SecurityError.NOT_AN_INSTANT: _("A date YYYY-MM-DD, not an instant."),
        SecurityError.TRUE_OR_FALSE: _("True or false."),
        SecurityError.ONE_OF: _("Choose one of %(choices)s."),
        SecurityError.LEVEL_RANGE: _("An integer from 1 to 5."),
        SecurityError.UNKNOWN_DOCUMENT: _("Unknown document of this project."),
        SecurityError.WRONG_REPORT_CATEGORY: _("The report must be a document of category risk_assessment_report."),
    },
    public=[SecurityError.ALREADY_GRANTED],
    api_codes={SecurityError.STALE_VERSION: "stale_version"},
)
