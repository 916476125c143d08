from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "egovpm.budgets"
    label = "budgets"

    def ready(self) -> None:
        from egovpm.budgets.facts import budget_facts
        from egovpm.budgets.services import baseline_on_approval
        from egovpm.projects.facts import register_fact_provider
        from egovpm.projects.services import register_transition_hook

        register_fact_provider(budget_facts)
        # the estimate becomes the baseline inside approve_preliminary_design's transaction
        register_transition_hook(baseline_on_approval)
        from egovpm.budgets import web  # noqa: F401 — registers the tab, the navigation entry and 待办 items
