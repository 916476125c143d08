from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "egovpm.archives"
    label = "archives"

    def ready(self) -> None:
        from egovpm.archives import services, views
        from egovpm.archives.facts import archive_facts
        from egovpm.projects.facts import register_fact_provider
        from egovpm.projects.services import register_transition_hook
        from egovpm.web.registry import NavItem, ProjectTab, register_inbox, register_nav, register_tab

        register_fact_provider(archive_facts)
        register_transition_hook(services.completion_snapshot)
        register_tab(
            ProjectTab("archives", _("Archives"), "web:project_archives", "archives/tab.html", 60, rules=views.RULES)
        )
        register_nav(NavItem("archives", _("Archives"), "web:archives", views.nav_visible, 40))
        register_inbox(views.inbox_items)
