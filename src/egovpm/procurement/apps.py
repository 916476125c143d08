from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "egovpm.procurement"
    label = "procurement"
