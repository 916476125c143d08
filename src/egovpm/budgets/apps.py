from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "egovpm.budgets"
    label = "budgets"
