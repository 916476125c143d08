"""Who may do what with information systems and risk assessments. Every check starts from the
project's scope (projects.policies.project_for → 404); these answer the role question (→ 403)."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project


def may_edit_systems(user: User, project: Project) -> bool:
    """The lead department records and edits the project's systems (domain.md §4: participants read)."""
    return project_policies.is_lead_member(user, project)


def may_grant_exception(user: User) -> bool:
    """Only NDRC records an exception to "no new dedicated network" (clause 9, 原则上)."""
    return bool(user.has_role(Role.NDRC_OFFICER))


def may_record_assessment(user: User, project: Project) -> bool:
    """The lead department organises the risk assessment during trial operation (clause 6)."""
    return project_policies.is_lead_member(user, project)
