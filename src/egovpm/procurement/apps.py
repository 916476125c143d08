from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "egovpm.procurement"
    label = "procurement"

    def ready(self) -> None:
        from egovpm.archives.views import register_completion_part
        from egovpm.procurement import synthetic, views
        from egovpm.procurement.facts import procurement_facts
        from egovpm.projects.facts import register_fact_provider
        from egovpm.web.registry import ProjectTab, register_tab

        register_fact_provider(procurement_facts)
        register_completion_part(views.completion_part)
        synthetic.register()
        register_tab(
            ProjectTab(
                "procurement",
                _("Procurement"),
                "web:project_procurement",
                "procurement/tab.html",
                55,
                rules=views.RULES,
            )
        )
