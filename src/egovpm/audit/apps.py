from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "egovpm.audit"
    label = "audit"
