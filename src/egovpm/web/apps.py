from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "egovpm.web"
    label = "web"
