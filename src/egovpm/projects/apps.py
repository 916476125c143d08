from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "egovpm.projects"
    label = "projects"

    def ready(self) -> None:
        from egovpm.projects import web  # noqa: F401 — registers the tabs 基本信息, 合规检查, 人员指派
