from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "egovpm.security"
    label = "security"
