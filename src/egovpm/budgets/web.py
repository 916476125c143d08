"""The budgets app's place in the UI: the project tab 概算与调整, the navigation entry 概算调整 and
the 待办 items (registered from BudgetsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from egovpm.budgets import views
from egovpm.web.registry import NavItem, ProjectTab, register_inbox, register_nav, register_tab

register_tab(
    ProjectTab("budgets", _("Estimate and adjustments"), "web:project_budgets", "budgets/tab.html", 10, rules=("C3",))
)
register_nav(NavItem("budgets", _("Budget adjustments"), "web:budgets_queue", views.may_see_queue, order=20))
register_inbox(views.inbox_items)
