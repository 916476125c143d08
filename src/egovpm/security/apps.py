from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "egovpm.security"
    label = "security"

    def ready(self) -> None:
        from egovpm.projects.facts import register_fact_provider
        from egovpm.security import views
        from egovpm.security.facts import security_facts
        from egovpm.web.registry import ProjectTab, register_inbox, register_tab

        register_fact_provider(security_facts)
        register_tab(
            ProjectTab(
                "security",
                _("Information systems and security"),
                "web:project_security",
                "security/tab.html",
                45,
                rules=views.RULES,
            )
        )
        register_inbox(views.inbox_items)
