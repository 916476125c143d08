from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "egovpm.evaluations"
    label = "evaluations"

    def ready(self) -> None:
        from egovpm.evaluations import services
        from egovpm.evaluations.facts import evaluation_facts
        from egovpm.projects.facts import register_fact_provider
        from egovpm.projects.services import register_transition_hook

        register_fact_provider(evaluation_facts)
        register_transition_hook(services.approved_goals_snapshot)
