"""The refusals of reports (progress-report submissions, returns, acknowledgements, reminders, the
PDF): codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class ReportError(ErrorCode):
    INVALID_INSTANT = "invalid_instant"
    SUBMITTED_AT_INVALID = "submitted_at_invalid"
    NO_OFFSET = "no_offset"
    SUBMITTED_AT_NO_OFFSET = "submitted_at_no_offset"
    SECTIONS_NOT_OBJECT = "sections_not_object"
    NOT_AN_OBJECT = "not_an_object"
    SECTIONS_INVALID = "sections_invalid"
    UNKNOWN_SECTION = "unknown_section"
    MUST_BE_TEXT = "must_be_text"
    SECTION_TOO_LONG = "section_too_long"
    REPORT_EMPTY = "report_empty"
    EVERY_SECTION_EMPTY = "every_section_empty"
    SUBMIT_LEAD_ONLY = "submit_lead_only"
    PERIOD_NOT_ENDED = "period_not_ended"
    ALREADY_SUBMITTED = "already_submitted"
    SUBMITTED_IN_FUTURE = "submitted_in_future"
    BEFORE_PERIOD_END = "before_period_end"
    SUBMITTED_BEFORE_PERIOD_END = "submitted_before_period_end"
    BEFORE_RETURN = "before_return"
    RESUBMISSION_BEFORE_RETURN = "resubmission_before_return"
    RETURN_NDRC_ONLY = "return_ndrc_only"
    NOT_SUBMITTED = "not_submitted"
    ALREADY_RETURNED = "already_returned"
    REVISION_COMMENT_REQUIRED = "revision_comment_required"
    ACKNOWLEDGE_RECIPIENTS_ONLY = "acknowledge_recipients_only"
    NOTHING_TO_ACKNOWLEDGE = "nothing_to_acknowledge"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    DAYS_NEGATIVE = "days_negative"
    INVALID_PERIOD = "invalid_period"
    PERIOD_FORMAT = "period_format"
    NO_OBLIGATION = "no_obligation"
    PORTFOLIO_NDRC_MOF_ONLY = "portfolio_ndrc_mof_only"
    PDF_UNAVAILABLE = "pdf_unavailable"
    PAGE_INVALID = "page_invalid"
    PAST_AS_OF_TOO_WIDE = "past_as_of_too_wide"
    PAST_AS_OF_NEEDS_DEPARTMENT = "past_as_of_needs_department"
    SELF_ASSESSMENT_INVALID = "self_assessment_invalid"
    PLACEHOLDERS_LEFT = "placeholders_left"
    PLACEHOLDER_LEFT = "placeholder_left"
    DRAFT_LEAD_ONLY = "draft_lead_only"


register(
    ReportError,
    {
        ReportError.INVALID_INSTANT: _("An ISO 8601 instant with an offset, e.g. 2025-07-31T16:30:00+08:00."),
        ReportError.SUBMITTED_AT_INVALID: _("submitted_at must be an ISO 8601 instant with an offset."),
        ReportError.NO_OFFSET: _("The instant needs an offset, e.g. 2025-07-31T16:30:00+08:00."),
        ReportError.SUBMITTED_AT_NO_OFFSET: _("submitted_at needs an offset, e.g. 2025-07-31T16:30:00+08:00."),
        ReportError.SECTIONS_NOT_OBJECT: _("sections must be an object with the five sections."),
        ReportError.NOT_AN_OBJECT: _("Not an object."),
        ReportError.SECTIONS_INVALID: _("A report has exactly the sections %(sections)s, each as text."),
        ReportError.UNKNOWN_SECTION: _("Unknown section."),
        ReportError.MUST_BE_TEXT: _("Must be text."),
        ReportError.SECTION_TOO_LONG: _("At most %(max)s characters."),
        ReportError.REPORT_EMPTY: _("The report is empty."),
        ReportError.EVERY_SECTION_EMPTY: _("Every section is empty."),
        ReportError.SUBMIT_LEAD_ONLY: _("Only the lead department submits its project's reports."),
        ReportError.PERIOD_NOT_ENDED: _(
            "The period %(period)s ends on %(end)s: its report can be submitted from the day after."
        ),
        ReportError.ALREADY_SUBMITTED: _(
            "The report for %(period)s was already submitted; a submission cannot be changed."
        ),
        ReportError.SUBMITTED_IN_FUTURE: _("submitted_at may not lie in the future."),
        ReportError.BEFORE_PERIOD_END: _("Before the period ended (%(end)s)."),
        ReportError.SUBMITTED_BEFORE_PERIOD_END: _("submitted_at lies before the end of the period (%(end)s)."),
        ReportError.BEFORE_RETURN: _("Before the report was returned."),
        ReportError.RESUBMISSION_BEFORE_RETURN: _("A resubmission cannot predate the return for revision."),
        ReportError.RETURN_NDRC_ONLY: _("Only NDRC returns a report for revision."),
        ReportError.NOT_SUBMITTED: _("No report for %(period)s has been submitted."),
        ReportError.ALREADY_RETURNED: _("The report for %(period)s is already returned."),
        ReportError.REVISION_COMMENT_REQUIRED: _("Say what must be revised."),
        ReportError.ACKNOWLEDGE_RECIPIENTS_ONLY: _("Only NDRC and the Ministry of Finance acknowledge reports."),
        ReportError.NOTHING_TO_ACKNOWLEDGE: _("There is no submitted report for %(period)s to acknowledge."),
        ReportError.ALREADY_ACKNOWLEDGED: _("You already acknowledged this report."),
        ReportError.DAYS_NEGATIVE: _("--days must be zero or more."),
        ReportError.INVALID_PERIOD: _("Unknown period %(period)s."),
        ReportError.PERIOD_FORMAT: _("YYYY-H1 (first half-year) or YYYY (whole year)."),
        ReportError.NO_OBLIGATION: _(
            "No report is due for %(period)s: the project was not in construction during that period."
        ),
        ReportError.PORTFOLIO_NDRC_MOF_ONLY: _("The report portfolio is for NDRC and the Ministry of Finance."),
        ReportError.PDF_UNAVAILABLE: _(
            "PDF output needs WeasyPrint, which is not installed or not working on this server "
            "(pip install 'egovpm[pdf]'); the DOCX document is available."
        ),
        ReportError.PAGE_INVALID: _("page and page_size are whole numbers from 1 (page_size at most 500)."),
        ReportError.PAST_AS_OF_TOO_WIDE: _(
            "A date in the past is computed from the records: choose a department (at most %(max)s projects)."
        ),
        ReportError.PAST_AS_OF_NEEDS_DEPARTMENT: _("Choose a department for a date in the past."),
        ReportError.SELF_ASSESSMENT_INVALID: _("%(value)s is not one of on_track, at_risk, off_track."),
        ReportError.PLACEHOLDERS_LEFT: _(
            "Replace or delete the pre-filled prompts 【待填写：…】 before submitting; they are still in: %(sections)s."
        ),
        ReportError.PLACEHOLDER_LEFT: _(
            "Still holds a prompt 【待填写：…】 of the pre-fill: write this part yourself."
        ),
        ReportError.DRAFT_LEAD_ONLY: _("Only the lead department writes its project's reports."),
    },
    public=[
        ReportError.PERIOD_NOT_ENDED,
        ReportError.ALREADY_SUBMITTED,
        ReportError.NOT_SUBMITTED,
        ReportError.ALREADY_RETURNED,
        ReportError.ALREADY_ACKNOWLEDGED,
        ReportError.NO_OBLIGATION,
        ReportError.PDF_UNAVAILABLE,
        ReportError.PLACEHOLDERS_LEFT,
    ],
    api_codes={ReportError.NOTHING_TO_ACKNOWLEDGE: "not_submitted"},
)
