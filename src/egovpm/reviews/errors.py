"""The refusals of reviews (expert pool, panels, opinions, conclusions, co-authors): codes and
their words (core/errors.py). Also the reasons an expert is refused for a panel, which the draw
record keeps as codes (`draw_excluded[].code/params`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class ReviewError(ErrorCode):
    SPECIALTIES_NDRC_ONLY = "specialties_ndrc_only"
    POOL_NDRC_ONLY = "pool_ndrc_only"
    SPECIALTY_NOT_ADDED = "specialty_not_added"
    SPECIALTY_CODE_CHARACTERS = "specialty_code_characters"
    SPECIALTY_EXISTS = "specialty_exists"
    UNKNOWN_SPECIALTY = "unknown_specialty"
    UNKNOWN_EXPERT_USER = "unknown_expert_user"
    NOT_AN_EXPERT = "not_an_expert"
    SPECIALTY_REQUIRED = "specialty_required"
    EXPERT_NAMED_TWICE = "expert_named_twice"
    PANEL_REFUSED = "panel_refused"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    PANEL_TOO_SMALL = "panel_too_small"
    AT_LEAST = "at_least"
    POOL_TOO_SMALL = "pool_too_small"
    AT_MOST_ELIGIBLE = "at_most_eligible"
    FORM_NDRC_ONLY = "form_ndrc_only"
    EXPERTS_OR_DRAW = "experts_or_draw"
    EITHER_EXPERTS_OR_DRAW = "either_experts_or_draw"
    PANEL_WRONG_STAGE = "panel_wrong_stage"
    REVIEW_OPEN = "review_open"
    DUE_IN_PAST = "due_in_past"
    DATE_IN_PAST = "date_in_past"
    MEMBERS_ONLY = "panel_members_only"
    REVIEW_CONCLUDED = "review_concluded"
    ALREADY_CONCLUDED = "already_concluded"
    ONE_OF = "review_one_of"
    FILE_TOO_LARGE = "attachment_too_large"
    FILE_EMPTY = "attachment_empty"
    OPINION_NOT_RECORDED = "opinion_not_recorded"
    CONCLUDE_NDRC_ONLY = "conclude_ndrc_only"
    CONCLUSION_NOT_RECORDED = "conclusion_not_recorded"
    OPINIONS_MISSING = "opinions_missing"
    CO_AUTHORS_LEAD_ONLY = "co_authors_lead_only"
    CO_AUTHORS_WRONG_STAGE = "co_authors_wrong_stage"
    CO_AUTHORS_NOT_PARTICIPANTS = "co_authors_not_participants"
    NOT_A_PARTICIPANT = "not_a_participant"
    REVIEWS_NOT_READ = "reviews_not_read"
    REVIEW_NOT_FOUND = "review_not_found"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
    BLOB_MISSING = "review_blob_missing"
    NOT_CONCLUDED = "not_concluded"
    DRAW_AUDIT_ONLY = "draw_audit_only"
    NOT_DRAWN = "not_drawn"
    ALREADY_IN_POOL = "already_in_pool"
    NOT_IN_POOL = "not_in_pool"
    TRACK_RECORD_NDRC_ONLY = "track_record_ndrc_only"
    SEED_IS_THE_SERVERS = "seed_is_the_servers"
    # why an expert cannot sit on a panel
    UNKNOWN_OR_DISABLED = "unknown_or_disabled"
    LACKS_EXPERT_ROLE = "lacks_expert_role"
    OUTSIDE_POOL = "outside_pool"
    INACTIVE_IN_POOL = "inactive_in_pool"
    DEPARTMENT_LEADS = "department_leads"
    DEPARTMENT_PARTICIPATES = "department_participates"


register(
    ReviewError,
    {
        ReviewError.SPECIALTIES_NDRC_ONLY: _("Only NDRC manages the list of specialties."),
        ReviewError.POOL_NDRC_ONLY: _("Only NDRC manages the expert pool."),
        ReviewError.SPECIALTY_NOT_ADDED: _("The specialty was not added."),
        ReviewError.SPECIALTY_CODE_CHARACTERS: _("Letters, digits, - and _ only."),
        ReviewError.SPECIALTY_EXISTS: _("Specialty %(code)s already exists."),
        ReviewError.UNKNOWN_SPECIALTY: _("Unknown specialty %(codes)s."),
        ReviewError.UNKNOWN_EXPERT_USER: _("Unknown user %(username)s."),
        ReviewError.NOT_AN_EXPERT: _("%(username)s lacks the expert role."),
        ReviewError.SPECIALTY_REQUIRED: _("An expert needs at least one specialty."),
        ReviewError.EXPERT_NAMED_TWICE: _("An expert is named twice."),
        ReviewError.PANEL_REFUSED: _("These experts cannot sit on the panel: %(experts)s."),
        ReviewError.CONFLICT_OF_INTEREST: _(
            "Experts with a conflict of interest cannot sit on the panel: %(experts)s."
        ),
        ReviewError.PANEL_TOO_SMALL: _("A panel needs at least %(minimum)s experts (rule C10.1)."),
        ReviewError.AT_LEAST: _("At least %(minimum)s."),
        ReviewError.POOL_TOO_SMALL: _(
            "Too few eligible experts in the pool for this draw: %(eligible)s eligible, %(size)s asked."
        ),
        ReviewError.AT_MOST_ELIGIBLE: _("At most %(eligible)s eligible."),
        ReviewError.FORM_NDRC_ONLY: _("Only NDRC forms expert panels."),
        ReviewError.EXPERTS_OR_DRAW: _("Name the experts or ask for a draw (one of the two)."),
        ReviewError.EITHER_EXPERTS_OR_DRAW: _("Either experts or draw."),
        ReviewError.PANEL_WRONG_STAGE: _("A panel reviews the needs analysis: the project is in stage %(stage)s."),
        ReviewError.REVIEW_OPEN: _("This project already has an open expert review."),
        ReviewError.DUE_IN_PAST: _("The due date lies in the past."),
        ReviewError.DATE_IN_PAST: _("The date lies in the past."),
        ReviewError.MEMBERS_ONLY: _("Only the experts on this panel give opinions."),
        ReviewError.REVIEW_CONCLUDED: _("The panel has concluded: opinions are part of the record now."),
        ReviewError.ALREADY_CONCLUDED: _("The panel has already concluded."),
        ReviewError.ONE_OF: _("Choose one of %(choices)s."),
        ReviewError.FILE_TOO_LARGE: _("The file is larger than %(max_bytes)s bytes."),
        ReviewError.FILE_EMPTY: _("The file is empty."),
        ReviewError.OPINION_NOT_RECORDED: _("The opinion was not recorded."),
        ReviewError.CONCLUDE_NDRC_ONLY: _("Only NDRC concludes expert panels."),
        ReviewError.CONCLUSION_NOT_RECORDED: _("The conclusion was not recorded."),
        ReviewError.OPINIONS_MISSING: _("Waiting for the opinions of: %(names)s"),
        ReviewError.CO_AUTHORS_LEAD_ONLY: _("Only the lead department records the report's co-authors."),
        ReviewError.CO_AUTHORS_WRONG_STAGE: _(
            "The co-authors are recorded with the needs analysis, before the proposal."
        ),
        ReviewError.CO_AUTHORS_NOT_PARTICIPANTS: _(
            "Co-authors must be participating departments of the project: %(departments)s."
        ),
        ReviewError.NOT_A_PARTICIPANT: _("Not a participating department."),
        ReviewError.REVIEWS_NOT_READ: _("Your role does not read this project's expert reviews."),
        ReviewError.REVIEW_NOT_FOUND: _("Expert review not found."),
        ReviewError.ATTACHMENT_NOT_FOUND: _("No such attachment."),
        ReviewError.BLOB_MISSING: _("The stored file is missing; tell the system administrator."),
        ReviewError.NOT_CONCLUDED: _("The expert-opinion record exists once the panel has concluded."),
        ReviewError.DRAW_AUDIT_ONLY: _("Only NDRC and MoF audit the draw."),
        ReviewError.NOT_DRAWN: _("This panel was named by NDRC, not drawn."),
        ReviewError.ALREADY_IN_POOL: _("%(username)s is already in the pool; PATCH /experts/%(username)s."),
        ReviewError.NOT_IN_POOL: _("%(username)s is not in the expert pool."),
        ReviewError.TRACK_RECORD_NDRC_ONLY: _("Only NDRC reviews a department's track record."),
        ReviewError.SEED_IS_THE_SERVERS: _(
            "The seed is generated by the server and recorded, so that nobody can choose the panel."
        ),
        ReviewError.UNKNOWN_OR_DISABLED: _("unknown or disabled user"),
        ReviewError.LACKS_EXPERT_ROLE: _("lacks the expert role"),
        ReviewError.OUTSIDE_POOL: _("not in the expert pool"),
        ReviewError.INACTIVE_IN_POOL: _("inactive in the expert pool"),
        ReviewError.DEPARTMENT_LEADS: _("conflict of interest: their department %(code)s leads the project"),
        ReviewError.DEPARTMENT_PARTICIPATES: _(
            "conflict of interest: their department %(code)s participates in the project"
        ),
    },
    public=[
        ReviewError.CONFLICT_OF_INTEREST,
        ReviewError.PANEL_TOO_SMALL,
        ReviewError.POOL_TOO_SMALL,
        ReviewError.REVIEW_OPEN,
        ReviewError.REVIEW_CONCLUDED,
        ReviewError.OPINIONS_MISSING,
        ReviewError.NOT_CONCLUDED,
        ReviewError.NOT_DRAWN,
    ],
    api_codes={
        ReviewError.SPECIALTY_EXISTS: "duplicate",
        ReviewError.ALREADY_IN_POOL: "duplicate",
        ReviewError.PANEL_WRONG_STAGE: "wrong_stage",
        ReviewError.CO_AUTHORS_WRONG_STAGE: "wrong_stage",
        ReviewError.ALREADY_CONCLUDED: "review_concluded",
    },
)
