from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _nav_visible(user: Any) -> bool:
    from egovpm.portfolio.selectors import may_view

    return may_view(user)


def _home(user: Any) -> bool:
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
