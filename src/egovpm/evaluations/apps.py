from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "egovpm.evaluations"
    label = "evaluations"

    def ready(self) -> None:
        from egovpm.evaluations import services, views
        from egovpm.evaluations.facts import evaluation_facts
        from egovpm.projects.facts import register_fact_provider
        from egovpm.projects.services import register_transition_hook
        from egovpm.web.registry import NavItem, ProjectTab, register_inbox, register_nav, register_tab

        register_fact_provider(evaluation_facts)
        register_transition_hook(services.approved_goals_snapshot)
        register_tab(
            ProjectTab(
                views.TAB,
                _("Post-evaluation"),
                "web:project_evaluations",
                "evaluations/tab.html",
                70,
                rules=views.RULES,
            )
        )
        register_nav(
            NavItem("evaluation_templates", _("Indicator templates"), "web:evaluation_templates", views.nav_visible, 60)
        )
        register_inbox(views.inbox_items)
