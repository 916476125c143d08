"""The refusals of inspections and rectification (clause 8): codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class InspectionError(ErrorCode):
    INSPECTION_NOT_FOUND = "inspection_not_found"
    ITEM_NOT_FOUND = "rectification_not_found"
    NDRC_OPENS_ONLY = "inspection_ndrc_opens_only"
    OWN_INSPECTORS_ONLY = "inspection_own_inspectors_only"
    LEAD_ANSWERS_ONLY = "rectification_lead_answers_only"
    NOT_OPENED = "inspection_not_opened"
    FINDING_NOT_RECORDED = "finding_not_recorded"
    NOT_ISSUED = "inspection_not_issued"
    NOT_ANSWERED = "rectification_not_answered"
    NOT_CHANGED = "rectification_not_changed"
    ONE_OF = "inspection_one_of"
    NONE_CHOSEN = "inspection_none_chosen"
    UNKNOWN_USERS = "inspection_unknown_users"
    NOT_INSPECTORS = "inspection_not_inspectors"
    UNKNOWN_DEPARTMENTS = "inspection_unknown_departments"
    AREA_NOT_IN_SCOPE = "finding_area_not_in_scope"
    BEFORE_START = "inspection_before_start"
    DATE_IN_PAST = "rectification_date_in_past"
    BEFORE_LAST_STEP = "rectification_before_last_step"
    NOT_A_BOOLEAN = "inspection_not_a_boolean"
    DOCUMENTS_NOT_OF_PROJECT = "rectification_documents_not_of_project"
    FINDINGS_FROZEN = "inspection_findings_frozen"
    REPORT_NOT_ISSUED = "inspection_report_not_issued"
    ITEM_STATE = "rectification_wrong_state"


register(
    InspectionError,
    {
        InspectionError.INSPECTION_NOT_FOUND: _("No such inspection."),
        InspectionError.ITEM_NOT_FOUND: _("No such rectification item."),
        InspectionError.NDRC_OPENS_ONLY: _("Only NDRC opens an inspection or audit."),
        InspectionError.OWN_INSPECTORS_ONLY: _("Only an inspector of this inspection may do this."),
        InspectionError.LEAD_ANSWERS_ONLY: _("Only the project's lead department answers a rectification item."),
        InspectionError.NOT_OPENED: _("The inspection was not opened."),
        InspectionError.FINDING_NOT_RECORDED: _("The finding was not recorded."),
        InspectionError.NOT_ISSUED: _("The inspection report was not issued."),
        InspectionError.NOT_ANSWERED: _("The answer was not recorded."),
        InspectionError.NOT_CHANGED: _("The rectification item was not changed."),
        InspectionError.ONE_OF: _("Choose one of %(choices)s."),
        InspectionError.NONE_CHOSEN: _("Choose at least one."),
        InspectionError.UNKNOWN_USERS: _("No such active user: %(names)s."),
        InspectionError.NOT_INSPECTORS: _("Not an inspector (the inspector role is needed): %(names)s."),
        InspectionError.UNKNOWN_DEPARTMENTS: _("No such department: %(codes)s."),
        InspectionError.AREA_NOT_IN_SCOPE: _("Not an area of this inspection's scope (%(choices)s)."),
        InspectionError.BEFORE_START: _("Not before the inspection started (%(date)s)."),
        InspectionError.DATE_IN_PAST: _("Not in the past."),
        InspectionError.BEFORE_LAST_STEP: _("Not before the item's last step (%(date)s)."),
        InspectionError.NOT_A_BOOLEAN: _("true or false."),
        InspectionError.DOCUMENTS_NOT_OF_PROJECT: _("Not a document of this project: %(ids)s."),
        InspectionError.FINDINGS_FROZEN: _("The report is issued: its findings are frozen."),
        InspectionError.REPORT_NOT_ISSUED: _("The inspection report is not issued yet."),
        InspectionError.ITEM_STATE: _("The rectification item is %(state)s: it cannot be %(move)s now."),
    },
)
