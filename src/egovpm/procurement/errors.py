"""The refusals of the procurement register and delivery modes: codes and their words
(core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class ProcurementError(ErrorCode):
    NOT_FOUND = "procurement_not_found"
    LEAD_ONLY = "procurement_lead_only"
    FROZEN = "frozen"
    NOT_RECORDED = "procurement_not_recorded"
    NOT_IMPORTED = "procurement_not_imported"
    ONE_OF = "procurement_one_of"
    AMOUNT = "procurement_amount"
    CREDIT_CODE = "procurement_credit_code"
    BASIS_REQUIRED = "secure_basis_required"
    NOT_BOOLEAN = "procurement_not_boolean"
    NOT_TEXT = "procurement_not_text"
    EVIDENCE_OTHER_PROJECT = "evidence_other_project"
    EVIDENCE_CATEGORY = "evidence_category"
    ESTIMATE_LINE = "estimate_line_unknown"
    TOO_LONG = "procurement_too_long"
    FILE_REQUIRED = "import_file_required"
    FILE_TOO_LARGE = "import_file_too_large"
    FILE_NOT_XLSX = "import_file_not_xlsx"
    TOO_MANY_ROWS = "import_too_many_rows"
    TOO_MANY_CELLS = "import_too_many_cells"
    TOO_SLOW = "import_too_slow"
    DATE_WITHOUT_TIME = "import_date_with_time"
    HEADER = "import_header"
    EMPTY = "import_empty"
    MODES_NOT_SET = "delivery_modes_not_set"
    MODES_LIST = "delivery_modes_list"
    MODE_ITEM = "delivery_mode_item"
    DEPARTMENT_NOT_FOUND = "department_not_found"


register(
    ProcurementError,
    {
        ProcurementError.NOT_FOUND: _("No such procurement."),
        ProcurementError.LEAD_ONLY: _(
            "Only the project's lead department records its procurements and delivery modes."
        ),
        ProcurementError.FROZEN: _(
            "The project has passed completion acceptance: its procurement records are frozen; nothing was changed."
        ),
        ProcurementError.NOT_RECORDED: _("The procurement was not recorded; check the fields named in the details."),
        ProcurementError.NOT_IMPORTED: _(
            "Nothing was imported: correct the rows listed in the details and import the file again."
        ),
        ProcurementError.ONE_OF: _("Choose one of %(choices)s."),
        ProcurementError.AMOUNT: _('An amount in yuan as a string like "1200000.00" (at most 2 decimal places).'),
        ProcurementError.CREDIT_CODE: _(
            "Not a valid unified social credit code: 18 characters (digits and capitals without I, O, Z, S, V) "
            "whose last is the GB 32100-2015 check character."
        ),
        ProcurementError.BASIS_REQUIRED: _("Give the basis (certification, product list or vendor evidence)."),
        ProcurementError.NOT_BOOLEAN: _("true or false."),
        ProcurementError.NOT_TEXT: _("Text, as a string."),
        ProcurementError.EVIDENCE_OTHER_PROJECT: _("The evidence must be a document of this project."),
        ProcurementError.EVIDENCE_CATEGORY: _(
            "The evidence must be a document of the category secure-and-controllable evidence."
        ),
        ProcurementError.ESTIMATE_LINE: _("Not a sub-project code of the project's current estimate: %(value)s."),
        ProcurementError.TOO_LONG: _("At most %(limit)s characters."),
        ProcurementError.FILE_REQUIRED: _("Upload an XLSX file in the field 'file'."),
        ProcurementError.FILE_TOO_LARGE: _("The file is larger than %(limit)s bytes; nothing was imported."),
        ProcurementError.FILE_NOT_XLSX: _("The file is not an XLSX workbook; use the template."),
        ProcurementError.TOO_MANY_ROWS: _("The file holds more than %(limit)s procurements; split it."),
        ProcurementError.TOO_MANY_CELLS: _("The file holds more than %(limit)s cells; use the template."),
        ProcurementError.TOO_SLOW: _("Reading the file took too long; split it or use the template."),
        ProcurementError.DATE_WITHOUT_TIME: _("A date without a time of day."),
        ProcurementError.HEADER: _("The first row must be the template's header: %(columns)s."),
        ProcurementError.EMPTY: _("The file holds no procurement."),
        ProcurementError.MODES_NOT_SET: _("The delivery modes were not changed; check the details."),
        ProcurementError.MODES_LIST: _('A list of modes: [{"mode", "provider", "scope", "contract_reference"}].'),
        ProcurementError.MODE_ITEM: _("Each mode is an object with mode, provider, scope and contract_reference."),
        ProcurementError.DEPARTMENT_NOT_FOUND: _("No such department."),
    },
    public=[ProcurementError.FROZEN],
)
