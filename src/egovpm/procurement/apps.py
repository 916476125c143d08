from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "egovpm.procurement"
    label = "procurement"

    def ready(self) -> None:
        from egovpm.procurement.facts import procurement_facts
        from egovpm.projects.facts import register_fact_provider

        register_fact_provider(procurement_facts)
