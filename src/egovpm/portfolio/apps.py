from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from egovpm.accounts.models import User


def _nav_visible(user: User) -> bool:
    from egovpm.portfolio.selectors import may_view

    return may_view(user)


def _home(user: User) -> bool:
    """NDRC and MoF land on the cockpit after signing in (ui.md: their home)."""
    from egovpm.portfolio.selectors import is_whole_portfolio_reader

    return is_whole_portfolio_reader(user)


class PortfolioConfig(AppConfig):
    name = "egovpm.portfolio"
    label = "portfolio"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from egovpm.web.registry import NavItem, register_nav

        # the key of the greyed "统计 coming" placeholder (web/context.py COMING) it replaces
        register_nav(NavItem("dashboard", _("Cockpit"), "web:cockpit", _nav_visible, order=5, home=_home))
        # the department record (履约档案, issue 11): its members' own from the navigation; the lead
        # department's name on the project page links to it, with NDRC's panel beside its decisions
        from egovpm.portfolio import record_views
        from egovpm.projects.page import register_frame_part

        register_nav(
            NavItem(
                "department_record",
                _("Our department record"),
                "web:department_record_mine",
                record_views.nav_visible,
                order=6,
            )
        )
        register_frame_part(record_views.project_panel)
        # the project list's drill-down on a past date (`as_of`): the summary's per-project facts
        from egovpm.portfolio.selectors import select_as_of
        from egovpm.projects.filters import register_past_selector

        register_past_selector(select_as_of)
        # 自主可控 shares (issue 11): registered from here, not from procurement — portfolio already
        # depends on procurement (record.py), so the other direction would be an import cycle
        from django.apps import apps

        if apps.is_installed("egovpm.procurement"):
            from egovpm.portfolio.figures import register_figure
            from egovpm.procurement.shares import shares_figure

            register_figure("procurement_shares", shares_figure)
        # rectification items open and overdue (issue 12): from here too, for the same reason
        # (record.py reads the inspections' department seam)
        if apps.is_installed("egovpm.inspections"):
            from egovpm.inspections.selectors import rectification_figures
            from egovpm.portfolio.figures import register_figure as register_rectifications

            register_rectifications("rectifications", rectification_figures)
            # and its drill-down, GET /projects?rectification=open|overdue (today and as_of)
            from egovpm.inspections.selectors import projects_with_rectifications
            from egovpm.projects.filters import register_dated_filter

            register_dated_filter("rectification", projects_with_rectifications)
        # post-evaluation conclusions (issue 12 item 6): the same direction as the department record
        if apps.is_installed("egovpm.evaluations"):
            from egovpm.evaluations.selectors import conclusion_figures
            from egovpm.portfolio.figures import register_figure as register_conclusions

            register_conclusions("post_evaluations", conclusion_figures)
