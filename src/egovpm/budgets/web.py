"""The budgets app's place in the UI: the project tab 概算与调整, the navigation entry 概算调整 and
the 待办 items (registered from BudgetsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from egovpm.web.extensions import NavItem, ProjectTab, register_inbox, register_nav, register_tab


def _tab_context(request, project):  # type: ignore[no-untyped-def]
    from egovpm.budgets.views import tab_context

    return tab_context(request, project)


def _visible(user):  # type: ignore[no-untyped-def]
    from egovpm.budgets.views import may_see_queue

    return may_see_queue(user)


def _inbox(user):  # type: ignore[no-untyped-def]
    from egovpm.budgets.views import inbox_items

    return inbox_items(user)


register_tab(ProjectTab("budgets", _("Estimate and adjustments"), "budgets/tab.html", _tab_context, order=10))
register_nav(NavItem("budgets", _("Budget adjustments"), "web:budgets_queue", _visible, order=20))
register_inbox(_inbox)
