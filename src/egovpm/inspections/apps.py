from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "egovpm.inspections"
    label = "inspections"

    def ready(self) -> None:
        from egovpm.inspections import views
        from egovpm.inspections.facts import inspection_facts
        from egovpm.projects.facts import register_fact_provider
        from egovpm.web.registry import NavItem, ProjectTab, register_inbox, register_nav, register_tab

        register_fact_provider(inspection_facts)
        from egovpm.inspections import policies, selectors
        from egovpm.inspections.forms import INSPECTOR_ROLES
        from egovpm.web.people import PeopleSource, register_people_source

        # the inspectors NDRC ticks when it opens an inspection (web/_people_picker.html)
        register_people_source(
            "inspectors", PeopleSource(selectors.inspector_users, policies.may_open, INSPECTOR_ROLES)
        )
        from egovpm.inspections.reminders import rectification_notices
        from egovpm.notifications.reminders import register_reminder

        register_reminder("rectification", rectification_notices)  # `egovpm remind`
        # the cockpit's `rectifications` figure is registered by the portfolio app (its apps.py):
        # portfolio reads this app's department seam, so importing portfolio here would be a cycle
        register_tab(
            ProjectTab(
                "inspections",
                _("Inspections"),
                "web:project_inspections",
                "inspections/tab.html",
                70,
                rules=views.RULES,
            )
        )
        register_nav(NavItem("inspections", _("Inspections"), "web:inspections", views.nav_visible, 45, views.nav_home))
        register_inbox(views.inbox_items)
