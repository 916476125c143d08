from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "egovpm.archives"
    label = "archives"
