from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "egovpm.inspections"
    label = "inspections"

    def ready(self) -> None:
        from egovpm.inspections.facts import inspection_facts
        from egovpm.projects.facts import register_fact_provider

        register_fact_provider(inspection_facts)
