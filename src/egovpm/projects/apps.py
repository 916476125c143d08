from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "egovpm.projects"
    label = "projects"
