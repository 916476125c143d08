"""Who may do what with a project's procurements and delivery modes. Scope first
(projects.policies.project_for → 404), then these role questions (→ 403), then the state (409)."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.archives.models import CompletionAcceptance
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project


def may_write(user: User, project: Project) -> bool:
    """The lead department's staff and leaders record, correct and remove procurements and set the
    delivery modes (domain.md §11.1, §11.2)."""
    return project_policies.is_lead_member(user, project)


def is_frozen(project: Project) -> bool:
    """Procurement records are frozen once the project has passed completion acceptance."""
    return project.stage == Stage.IN_OPERATION or CompletionAcceptance.objects.filter(project=project).exists()


def may_read_department(user: User, department: Department) -> bool:
    """A department's shares (and record): NDRC, MoF and the department's own staff and leaders."""
    if user.has_role(*project_policies.READ_ALL_ROLES):
        return True
    return bool(user.department_id == department.pk and user.has_role(Role.DEPT_STAFF, Role.DEPT_LEADER))
