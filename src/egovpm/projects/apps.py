from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "egovpm.projects"
    label = "projects"

    def ready(self) -> None:
        from egovpm.audit.services import register_change_listener
        from egovpm.projects import facts, web  # noqa: F401 — web registers the tabs 基本信息, 合规检查, 人员指派

        register_change_listener(facts.project_changed)  # the generation a Project instance read
