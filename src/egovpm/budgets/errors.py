"""The refusals of budgets (estimate, adjustment requests, filings, spending, the XLSX import):
codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class BudgetError(ErrorCode):
    NO_BASELINE = "no_baseline"
    ESTIMATE_LEAD_ONLY = "estimate_lead_only"
    ESTIMATE_LOCKED = "estimate_locked"
    ESTIMATE_NOT_SAVED = "estimate_not_saved"
    CODE_TOO_LONG = "code_too_long"
    CODE_TWICE = "code_twice"
    NAME_TOO_LONG = "name_too_long"
    NEGATIVE = "amount_negative"
    ONE_LINE_NEEDED = "one_line_needed"
    MUST_BE_POSITIVE = "must_be_positive"
    NAME_A_CHANGE = "name_a_change"
    ONE_OF = "budget_one_of"
    NEW_LINE_NEEDS_NAME = "new_line_needs_name"
    NO_RENAME = "no_rename"
    UNCHANGED = "amount_unchanged"
    ADJUSTMENT_INVALID = "adjustment_invalid"
    REQUEST_LEAD_ONLY = "request_lead_only"
    UNKNOWN_DOCUMENT = "budget_unknown_document"
    NOT_PROJECT_DOCUMENT = "not_project_document"
    WRONG_CATEGORY = "document_wrong_category"
    CATEGORY_MUST_BE = "category_must_be"
    NOT_IN_CONSTRUCTION = "not_in_construction"
    NO_LONGER_IN_CONSTRUCTION = "no_longer_in_construction"
    DESCRIPTION_REQUIRED = "description_required"
    TOTAL_ZERO = "total_zero"
    TOTAL_WOULD_BE_ZERO = "total_would_be_zero"
    DECIDER_ONLY = "decider_only"
    REROUTED_ELSEWHERE = "decided_by_ndrc_now"
    APPROVE_OR_REJECT = "approve_or_reject"
    NOT_PENDING = "not_pending"
    STALE_REQUEST = "stale_request"
    REROUTED = "rerouted"
    WITHDRAW_LEAD_ONLY = "withdraw_lead_only"
    FILE_LEAD_ONLY = "file_lead_only"
    NOT_FILEABLE = "not_fileable"
    ALREADY_FILED = "already_filed"
    FILING_IN_FUTURE = "filing_in_future"
    FILING_BEFORE_DECISION = "filing_before_decision"
    BEFORE_DECISION = "before_decision"
    ACKNOWLEDGE_NDRC_ONLY = "acknowledge_ndrc_only"
    NOT_FILED = "not_filed"
    ALREADY_ACKNOWLEDGED = "filing_already_acknowledged"
    SPENDING_LEAD_ONLY = "spending_lead_only"
    SPENDING_NEEDS_BASELINE = "spending_needs_baseline"
    UNKNOWN_LINE = "unknown_line"
    OVER_CEILING = "over_ceiling"
    AT_MOST_CHARACTERS = "at_most_characters"
    EXPENDITURE_NOT_RECORDED = "expenditure_not_recorded"
    NO_ROWS = "no_rows"
    FILE_HOLDS_NO_ROWS = "file_holds_no_rows"
    IMPORT_REJECTED = "import_rejected"
    XLSX_REQUIRED = "xlsx_required"
    NOT_XLSX = "not_xlsx"
    WORKBOOK_EMPTY = "workbook_empty"
    MISSING_COLUMNS = "missing_columns"
    TOO_MANY_ROWS = "too_many_rows"
    DATE_WITHOUT_TIME = "date_without_time"
    NOT_AN_AMOUNT = "not_an_amount"
    ADJUSTMENT_NOT_FOUND = "adjustment_not_found"
    NO_QUEUE = "no_budget_queue"


register(
    BudgetError,
    {
        BudgetError.NO_BASELINE: _("The project has no approved estimate yet."),
        BudgetError.ESTIMATE_LEAD_ONLY: _("Only the lead department enters the estimate."),
        BudgetError.ESTIMATE_LOCKED: _(
            "The estimate was approved with the preliminary design and is now a baseline: it changes only "
            "through adjustment requests."
        ),
        BudgetError.ESTIMATE_NOT_SAVED: _("The estimate was not saved."),
        BudgetError.CODE_TOO_LONG: _("At most %(max)s characters."),
        BudgetError.CODE_TWICE: _("This code appears twice."),
        BudgetError.NAME_TOO_LONG: _("At most %(max)s characters."),
        BudgetError.NEGATIVE: _("May not be negative."),
        BudgetError.ONE_LINE_NEEDED: _("At least one sub-project is needed."),
        BudgetError.MUST_BE_POSITIVE: _("Must be greater than zero."),
        BudgetError.NAME_A_CHANGE: _("Name at least one sub-project whose amount changes or that is new."),
        BudgetError.ONE_OF: _("Choose one of %(choices)s."),
        BudgetError.NEW_LINE_NEEDS_NAME: _("A new sub-project needs a name."),
        BudgetError.NO_RENAME: _("%(code)s is “%(name)s”; an adjustment does not rename a sub-project."),
        BudgetError.UNCHANGED: _("The amount is unchanged: list only sub-projects whose amount changes."),
        BudgetError.ADJUSTMENT_INVALID: _("The adjustment request is not valid."),
        BudgetError.REQUEST_LEAD_ONLY: _("Only the lead department requests adjustments."),
        BudgetError.UNKNOWN_DOCUMENT: _("Unknown document."),
        BudgetError.NOT_PROJECT_DOCUMENT: _("Not a document of this project."),
        BudgetError.WRONG_CATEGORY: _("The document must be of category %(category)s."),
        BudgetError.CATEGORY_MUST_BE: _("Choose a document of the right category (%(category)s)."),
        BudgetError.NOT_IN_CONSTRUCTION: _("Adjustments are requested and decided while the project is being built."),
        BudgetError.NO_LONGER_IN_CONSTRUCTION: _("The project is no longer under construction."),
        BudgetError.DESCRIPTION_REQUIRED: _("Describe the adjustment."),
        BudgetError.TOTAL_ZERO: _(
            "The adjusted total would be zero; a project that spends nothing is cancelled, not adjusted."
        ),
        BudgetError.TOTAL_WOULD_BE_ZERO: _("The total would be 0.00."),
        BudgetError.DECIDER_ONLY: _(
            "A self-approval is decided by the lead department's leader, an NDRC-route request by NDRC."
        ),
        BudgetError.REROUTED_ELSEWHERE: _("This request was re-routed to NDRC and is decided there."),
        BudgetError.APPROVE_OR_REJECT: _("The decision is approve or reject."),
        BudgetError.NOT_PENDING: _("This request is no longer pending (it may have just been decided)."),
        BudgetError.STALE_REQUEST: _(
            "Another approved adjustment changed sub-project %(lines)s since this request was made: the request "
            "is stale and must be made again."
        ),
        BudgetError.REROUTED: _(
            "This request no longer qualifies for self-approval (%(failed)s): it was re-routed to NDRC, "
            "and nothing about the estimate was changed."
        ),
        BudgetError.WITHDRAW_LEAD_ONLY: _("Only the lead department withdraws its requests."),
        BudgetError.FILE_LEAD_ONLY: _("Only the lead department files."),
        BudgetError.NOT_FILEABLE: _("Only an approved self-approval is filed with NDRC."),
        BudgetError.ALREADY_FILED: _("This adjustment is already filed with NDRC."),
        BudgetError.FILING_IN_FUTURE: _("The filing date may not lie in the future."),
        BudgetError.FILING_BEFORE_DECISION: _("The filing date may not lie before the decision (%(date)s)."),
        BudgetError.BEFORE_DECISION: _("The date may not lie before the decision (%(date)s)."),
        BudgetError.ACKNOWLEDGE_NDRC_ONLY: _("Only NDRC acknowledges filings."),
        BudgetError.NOT_FILED: _("Nothing has been filed yet."),
        BudgetError.ALREADY_ACKNOWLEDGED: _("This filing is already acknowledged."),
        BudgetError.SPENDING_LEAD_ONLY: _("Only the lead department records spending."),
        BudgetError.SPENDING_NEEDS_BASELINE: _("Spending is recorded against an approved estimate."),
        BudgetError.UNKNOWN_LINE: _("Unknown sub-project code %(line)s."),
        BudgetError.OVER_CEILING: _("At most the project's current estimate total (%(ceiling)s yuan) per entry."),
        BudgetError.AT_MOST_CHARACTERS: _("At most %(max)s characters."),
        BudgetError.EXPENDITURE_NOT_RECORDED: _("The expenditure was not recorded."),
        BudgetError.NO_ROWS: _("No rows."),
        BudgetError.FILE_HOLDS_NO_ROWS: _("The file holds no expenditure rows."),
        BudgetError.IMPORT_REJECTED: _("%(count)s row(s) are not valid: nothing was imported."),
        BudgetError.XLSX_REQUIRED: _("Upload an XLSX file as `file`."),
        BudgetError.NOT_XLSX: _("The file is not an XLSX workbook."),
        BudgetError.WORKBOOK_EMPTY: _("The workbook is empty."),
        BudgetError.MISSING_COLUMNS: _("The header row lacks columns: %(columns)s."),
        BudgetError.TOO_MANY_ROWS: _("At most %(max)s rows per file."),
        BudgetError.DATE_WITHOUT_TIME: _("A date without a time."),
        BudgetError.NOT_AN_AMOUNT: _("An amount in yuan like “12500.00” (no sign, at most 2 places)."),
        BudgetError.ADJUSTMENT_NOT_FOUND: _("Adjustment not found."),
        BudgetError.NO_QUEUE: _("No budget queue for this role."),
    },
    public=[
        BudgetError.NO_BASELINE,
        BudgetError.ESTIMATE_LOCKED,
        BudgetError.NOT_IN_CONSTRUCTION,
        BudgetError.NOT_PENDING,
        BudgetError.STALE_REQUEST,
        BudgetError.REROUTED,
        BudgetError.NOT_FILEABLE,
        BudgetError.ALREADY_FILED,
        BudgetError.NOT_FILED,
        BudgetError.IMPORT_REJECTED,
    ],
    api_codes={
        BudgetError.NO_LONGER_IN_CONSTRUCTION: "not_in_construction",
        BudgetError.SPENDING_NEEDS_BASELINE: "no_baseline",
        BudgetError.ALREADY_ACKNOWLEDGED: "already_acknowledged",
    },
)
