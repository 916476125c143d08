"""The refusals of projects (create, edit, stage actions, assignments): codes and their words
(core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class ProjectError(ErrorCode):
    PROJECT_NOT_FOUND = "project_not_found"
    UNKNOWN_DEPARTMENTS = "unknown_departments"
    LEAD_ALSO_PARTICIPATES = "lead_also_participates"
    LEAD_IS_LISTED = "lead_is_listed"
    UNKNOWN_LEAD_DEPARTMENT = "unknown_lead_department"
    DEPT_STAFF_ONLY = "dept_staff_only"
    LEAD_NOT_OWN_DEPARTMENT = "lead_not_own_department"
    NAME_REQUIRED = "name_required"
    UNKNOWN_FIELDS = "unknown_fields"
    CODE_FORMAT = "code_format"
    DUPLICATE_CODE = "duplicate_code"
    READ_ONLY_FIELDS = "read_only_fields"
    DELIVERY_MODES_DERIVED = "delivery_modes_derived"
    STAGE_READ_ONLY = "stage_read_only"
    LEAD_EDITS_ONLY = "lead_edits_only"
    STALE_VERSION = "project_stale_version"
    EFFECTIVE_DATE_INVALID = "effective_date_invalid"
    UNKNOWN_ACTION = "unknown_action"
    ACTION_NOT_ALLOWED = "action_not_allowed"
    ILLEGAL_TRANSITION = "illegal_transition"
    EFFECTIVE_DATE_IN_FUTURE = "effective_date_in_future"
    EFFECTIVE_DATE_BEFORE_PREVIOUS = "effective_date_before_previous"
    BEFORE_PREVIOUS_EVENT = "before_previous_event"
    COMMENT_REQUIRED = "comment_required"
    BLOCKED_BY_RULES = "blocked_by_rules"
    NDRC_ENTRUSTS_ONLY = "ndrc_entrusts_only"
    ENTRUST_REASON_REQUIRED = "entrust_reason_required"
    NDRC_ASSIGNS_ONLY = "ndrc_assigns_only"
    UNKNOWN_TASK = "unknown_task"
    UNKNOWN_USER = "project_unknown_user"
    UNKNOWN_USER_FIELD = "unknown_user"
    WRONG_ROLE = "wrong_role"
    WRONG_ROLE_FIELD = "lacks_task_role"
    ALREADY_ASSIGNED = "already_assigned"
    NOT_ASSIGNED = "not_assigned"
    APPROVAL_REFERENCE_REQUIRED = "approval_reference_required"
    NDRC_RECORDS_REFERENCES_ONLY = "ndrc_records_references_only"
    STAGE_EVENT_NOT_FOUND = "stage_event_not_found"
    NOT_AN_APPROVAL = "not_an_approval"
    ALREADY_RECORDED = "already_recorded"
    INVALID_FILTER = "invalid_filter"
    FILTER_VALUE = "filter_value"


register(
    ProjectError,
    {
        ProjectError.PROJECT_NOT_FOUND: _("Project not found."),
        ProjectError.UNKNOWN_DEPARTMENTS: _("Unknown department %(departments)s."),
        ProjectError.LEAD_ALSO_PARTICIPATES: _("The lead department cannot also participate."),
        ProjectError.LEAD_IS_LISTED: _("The lead department is listed; it cannot also participate."),
        ProjectError.UNKNOWN_LEAD_DEPARTMENT: _("Unknown lead department %(department)s."),
        ProjectError.DEPT_STAFF_ONLY: _("Only department staff create projects."),
        ProjectError.LEAD_NOT_OWN_DEPARTMENT: _("The lead department must be your own department."),
        ProjectError.NAME_REQUIRED: _("A project needs a name."),
        ProjectError.UNKNOWN_FIELDS: _("Unknown fields: %(fields)s."),
        ProjectError.CODE_FORMAT: _("A project code has the form YYYY-RRRRRR-DD-TT-NNNNNN."),
        ProjectError.DUPLICATE_CODE: _("This project code is already in use."),
        ProjectError.READ_ONLY_FIELDS: _("%(fields)s cannot be changed here."),
        ProjectError.DELIVERY_MODES_DERIVED: _(
            "Follows the recorded delivery modes: record them with PUT /projects/{id}/delivery-modes "
            "(the project's Procurement tab)."
        ),
        ProjectError.STAGE_READ_ONLY: _(
            "%(fields)s cannot be changed here (stages move only through POST /projects/{id}/transition)."
        ),
        ProjectError.LEAD_EDITS_ONLY: _("Only the lead department edits the project."),
        ProjectError.STALE_VERSION: _(
            "The project was changed by someone else in the meantime; reload the page and try again."
        ),
        ProjectError.EFFECTIVE_DATE_INVALID: _("The effective date is not a valid date."),
        ProjectError.UNKNOWN_ACTION: _("Unknown action %(action)s (known: %(known)s)."),
        ProjectError.ACTION_NOT_ALLOWED: _("Your role may not take the action %(action)s on this project."),
        ProjectError.ILLEGAL_TRANSITION: _(
            "This action is not possible from the project's current stage (it may have just changed)."
        ),
        ProjectError.EFFECTIVE_DATE_IN_FUTURE: _("The effective date may not lie in the future."),
        ProjectError.EFFECTIVE_DATE_BEFORE_PREVIOUS: _(
            "The effective date may not lie before the previous stage action (%(date)s)."
        ),
        ProjectError.BEFORE_PREVIOUS_EVENT: _("May not lie before the previous stage action (%(previous)s)."),
        ProjectError.COMMENT_REQUIRED: _("This action needs a comment stating the reason."),
        ProjectError.BLOCKED_BY_RULES: _("%(action)s is blocked by %(count)s rule(s): %(rules)s."),
        ProjectError.NDRC_ENTRUSTS_ONLY: _("Only NDRC entrusts completion acceptance."),
        ProjectError.ENTRUST_REASON_REQUIRED: _("Entrusting needs a reason."),
        ProjectError.NDRC_ASSIGNS_ONLY: _("Only NDRC assigns users to projects."),
        ProjectError.UNKNOWN_TASK: _("Unknown task %(task)s (known: %(known)s)."),
        ProjectError.UNKNOWN_USER: _("Unknown user %(username)s."),
        ProjectError.UNKNOWN_USER_FIELD: _("Unknown user."),
        ProjectError.WRONG_ROLE: _("%(username)s lacks the role %(role)s needed for %(task)s."),
        ProjectError.WRONG_ROLE_FIELD: _("This user lacks the role this task needs."),
        ProjectError.ALREADY_ASSIGNED: _("This user is already assigned to this project for this task."),
        ProjectError.NOT_ASSIGNED: _("%(username)s is not assigned to this project."),
        ProjectError.APPROVAL_REFERENCE_REQUIRED: _("The approval document number is required."),
        ProjectError.NDRC_RECORDS_REFERENCES_ONLY: _("Only NDRC records approval document numbers."),
        ProjectError.STAGE_EVENT_NOT_FOUND: _("Stage event not found."),
        ProjectError.NOT_AN_APPROVAL: _("%(action)s is not an NDRC approval."),
        ProjectError.ALREADY_RECORDED: _("This approval already records its document number."),
        ProjectError.INVALID_FILTER: _("Invalid filter."),
        ProjectError.FILTER_VALUE: _("%(problem)s"),
    },
    public=[ProjectError.DUPLICATE_CODE, ProjectError.ILLEGAL_TRANSITION, ProjectError.ALREADY_RECORDED],
    api_codes={ProjectError.STALE_VERSION: "stale_version", ProjectError.ALREADY_ASSIGNED: "duplicate"},
)
