from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "egovpm.core"
    label = "core"
