"""The refusals of the portfolio summary and the cockpit: codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class PortfolioError(ErrorCode):
    COCKPIT_ROLES_ONLY = "cockpit_roles_only"
    PAST_AS_OF_TOO_WIDE = "portfolio_past_as_of_too_wide"
    NARROW_THE_SCOPE = "portfolio_narrow_the_scope"
    YEAR_INVALID = "portfolio_year_invalid"
    STAGE_INVALID = "portfolio_stage_invalid"


register(
    PortfolioError,
    {
        PortfolioError.COCKPIT_ROLES_ONLY: _("The cockpit is for NDRC, MoF and the departments' staff and leaders."),
        PortfolioError.PAST_AS_OF_TOO_WIDE: _(
            "A past date is computed from the records of every project in scope: at most %(max)s projects "
            "(%(count)s selected). Choose a department, stage or year."
        ),
        PortfolioError.NARROW_THE_SCOPE: _("Choose a department, stage or year to view a past date."),
        PortfolioError.YEAR_INVALID: _("A year between 1990 and 2099."),
        PortfolioError.STAGE_INVALID: _("Unknown stage: %(value)s."),
    },
    public=[PortfolioError.PAST_AS_OF_TOO_WIDE],
)
