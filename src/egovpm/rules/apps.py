from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "egovpm.rules"
    label = "rules"
