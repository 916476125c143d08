from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "egovpm.reports"
    label = "reports"
