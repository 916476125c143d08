"""Who may do what with post-evaluations and indicator templates. Scope first
(projects.policies.project_for → 404), then these role questions (→ 403)."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import TASK_ROLE, AssignmentTask
from egovpm.projects.models import Assignment, Project

EVALUATOR_ROLE = TASK_ROLE[AssignmentTask.EVALUATOR]  # the inspector role


def is_ndrc(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER))


def is_assigned_evaluator(user: User, project: Project) -> bool:
    return bool(
        user.has_role(EVALUATOR_ROLE)
        and Assignment.objects.filter(project=project, user_id=user.pk, task=AssignmentTask.EVALUATOR).exists()
    )


def may_evaluate(user: User, project: Project) -> bool:
    """NDRC organises the post-evaluation and may record it itself; otherwise an evaluator (expert
    group or commissioned agency) NDRC assigned to the project for task `evaluator`."""
    return is_ndrc(user) or is_assigned_evaluator(user, project)


def may_read(user: User, project: Project) -> bool:
    """NDRC and MoF (which read every project and see the conclusions in the department record),
    the lead and participating departments, and the inspectors/evaluators assigned to the project
    (inspections cover the goals); experts and archivists do not (403)."""
    if user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER):
        return True
    if project_policies.is_lead_member(user, project) or project_policies.is_participant_member(user, project):
        return True
    return bool(
        user.has_role(EVALUATOR_ROLE)
        and Assignment.objects.filter(
            project=project, user_id=user.pk, task__in=(AssignmentTask.EVALUATOR, AssignmentTask.INSPECTOR)
        ).exists()
    )


def may_manage_templates(user: User) -> bool:
    return is_ndrc(user)


def may_read_templates(user: User) -> bool:
    """NDRC and the evaluators (users of the inspector role) read the indicator templates."""
    return bool(user.has_role(Role.NDRC_OFFICER, EVALUATOR_ROLE))
