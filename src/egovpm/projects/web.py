"""The projects app's place in the UI (registered from ProjectsConfig.ready): the project page
frame's project part, the tabs 基本信息, 合规检查 and 人员指派, the 待办 stage actions and 已办, and the
labels of stages, actions and tasks."""

from django.utils.translation import gettext_lazy as _

from egovpm.projects import page
from egovpm.projects.choices import Action, AssignmentTask, Stage
from egovpm.web import registry
from egovpm.web.registry import ProjectTab, register_tab

registry.register_frame(registry.ProjectFrame(reads_file=page.reads_file, context=page.frame_context))
registry.register_inbox_section(page.inbox_section)
registry.register_labels("stage", Stage)
registry.register_labels("action", Action)
registry.register_labels("task", AssignmentTask)

register_tab(
    ProjectTab("info", _("Basic information"), "web:project_detail", "projects/tabs/info.html", 1, scope="summary")
)
register_tab(
    ProjectTab("compliance", _("Compliance check"), "web:project_compliance", "projects/tabs/compliance.html", 2)
)
register_tab(
    ProjectTab("assignments", _("Assignments"), "web:project_assignments", "projects/tabs/assignments.html", 4)
)
