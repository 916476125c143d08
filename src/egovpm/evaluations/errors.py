"""The refusals of post-evaluation and of the indicator templates: codes and their words
(core/errors.py; ADR 0012)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class EvaluationError(ErrorCode):
    TEMPLATE_NOT_ADDED = "evaluation_template_not_added"
    TEMPLATES_NDRC_ONLY = "evaluation_templates_ndrc_only"
    TEMPLATES_NOT_READABLE = "evaluation_templates_not_readable"
    TEMPLATE_NOT_FOUND = "evaluation_template_not_found"
    TEMPLATE_VERSION_RACE = "evaluation_template_version_race"
    INDICATORS_LIST = "evaluation_indicators_list"
    NODE_SHAPE = "evaluation_node_shape"
    WEIGHT_FORMAT = "evaluation_weight_format"
    WEIGHTS_SUM = "evaluation_weights_sum"
    DIMENSION_REQUIRED = "evaluation_dimension_required"
    DIMENSION_ONLY_TOP = "evaluation_dimension_only_top"
    DIMENSIONS_BOTH = "evaluation_dimensions_both"
    TOO_DEEP = "evaluation_tree_too_deep"
    TREE_LINE = "evaluation_tree_line"
    TREE_INDENT = "evaluation_tree_indent"
    NOT_RECORDED = "post_evaluation_not_recorded"
    EVALUATOR_ONLY = "post_evaluation_evaluator_only"
    NOT_READABLE = "post_evaluation_not_readable"
    NOT_IN_OPERATION = "post_evaluation_not_in_operation"
    NO_APPROVED_GOALS = "post_evaluation_no_approved_goals"
    SCORE_RANGE = "evaluation_score_range"
    SCORE_COMPUTED = "evaluation_score_computed"
    GOALS_SHAPE = "evaluation_goals_shape"
    GOALS_UNRATED = "evaluation_goals_unrated"
    GOAL_UNKNOWN = "evaluation_goal_unknown"
    GOAL_TWICE = "evaluation_goal_twice"
    ONE_OF = "evaluation_one_of"
    REPORT_INVALID = "evaluation_report_invalid"
    SCORES_SHAPE = "evaluation_scores_shape"
    LEAVES_MISSING = "evaluation_leaves_missing"
    LEAVES_UNKNOWN = "evaluation_leaves_unknown"
    SCORES_NEED_TEMPLATE = "evaluation_scores_need_template"
    BEFORE_OPERATION = "evaluation_before_operation"


register(
    EvaluationError,
    {
        EvaluationError.TEMPLATE_NOT_ADDED: _("The indicator template was not added."),
        EvaluationError.TEMPLATES_NDRC_ONLY: _("Only NDRC manages indicator templates."),
        EvaluationError.TEMPLATES_NOT_READABLE: _("Only NDRC and evaluators read indicator templates."),
        EvaluationError.TEMPLATE_NOT_FOUND: _("No such indicator template."),
        EvaluationError.TEMPLATE_VERSION_RACE: _(
            "Another version of this template was added at the same moment; try again."
        ),
        EvaluationError.INDICATORS_LIST: _("A non-empty list of indicators."),
        EvaluationError.NODE_SHAPE: _("An indicator has a name, a weight and optionally children."),
        EvaluationError.WEIGHT_FORMAT: _(
            "A weight greater than 0 and at most 100, with at most 2 decimal places, as a string or an integer."
        ),
        EvaluationError.WEIGHTS_SUM: _("These weights sum to %(sum)s; they must sum to exactly 100."),
        EvaluationError.DIMENSION_REQUIRED: _("A top-level indicator belongs to %(choices)s."),
        EvaluationError.DIMENSION_ONLY_TOP: _("Only a top-level indicator names its dimension."),
        EvaluationError.DIMENSIONS_BOTH: _(
            "The top level needs at least one indicator of operational efficiency and one of usage effect."
        ),
        EvaluationError.TOO_DEEP: _("At most %(levels)s levels of indicators."),
        EvaluationError.TREE_LINE: _(
            "Line %(line)s: write “name | weight”, a top-level line “name | weight | efficiency or effect”."
        ),
        EvaluationError.TREE_INDENT: _("Line %(line)s: indent a child by two spaces under its parent."),
        EvaluationError.NOT_RECORDED: _("The post-evaluation was not recorded."),
        EvaluationError.EVALUATOR_ONLY: _(
            "Only NDRC or an evaluator assigned to this project records its post-evaluation."
        ),
        EvaluationError.NOT_READABLE: _("You may not read this project's post-evaluations."),
        EvaluationError.NOT_IN_OPERATION: _(
            "A post-evaluation is recorded while the project is in operation (it is now: %(stage)s)."
        ),
        EvaluationError.NO_APPROVED_GOALS: _(
            "The goals approved with the preliminary design are not on record for this project."
        ),
        EvaluationError.SCORE_RANGE: _("A whole number from 0 to 100."),
        EvaluationError.SCORE_COMPUTED: _("Computed from the template's leaf scores: do not enter it."),
        EvaluationError.GOALS_SHAPE: _("A list of {goal, rating, evidence}, one per approved goal."),
        EvaluationError.GOALS_UNRATED: _("Rate every approved goal; not rated: %(goals)s."),
        EvaluationError.GOAL_UNKNOWN: _("Not an approved goal: %(goal)s."),
        EvaluationError.GOAL_TWICE: _("Rated more than once: %(goal)s."),
        EvaluationError.ONE_OF: _("Choose one of %(choices)s."),
        EvaluationError.REPORT_INVALID: _("A document of this project in the category post-evaluation report."),
        EvaluationError.SCORES_SHAPE: _("An object: leaf code → whole number from 0 to 100."),
        EvaluationError.LEAVES_MISSING: _("Score every leaf indicator; missing: %(codes)s."),
        EvaluationError.LEAVES_UNKNOWN: _("Not a leaf indicator of the template: %(codes)s."),
        EvaluationError.SCORES_NEED_TEMPLATE: _("Leaf scores need a template."),
        EvaluationError.BEFORE_OPERATION: _("On or after the day the project went into operation (%(date)s)."),
    },
)
