"""Who may do what with a project's estimate, adjustments and spending (domain.md §4, §5).

Scope first: every function here takes a project the user already reached through
`projects.policies.project_for` (404 outside scope); these answer the role question (403)."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.budgets.choices import Route
from egovpm.projects.models import Project
from egovpm.projects.policies import is_lead_member


def may_edit_estimate(user: User, project: Project) -> bool:
    """The lead department's staff and leaders enter the estimate (participants only read it)."""
    return is_lead_member(user, project)


def may_request(user: User, project: Project) -> bool:
    return is_lead_member(user, project)


def may_decide(user: User, project: Project, route: str) -> bool:
    """clause 3: the department itself (its leader) decides a self-approval; NDRC the others."""
    if route == Route.SELF_APPROVAL:
        return is_lead_member(user, project, Role.DEPT_LEADER)
    return bool(user.has_role(Role.NDRC_OFFICER))


def may_withdraw(user: User, project: Project) -> bool:
    return is_lead_member(user, project)


def may_file(user: User, project: Project) -> bool:
    """The lead department files its self-approval with NDRC (备案)."""
    return is_lead_member(user, project)


def may_acknowledge(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER))


def may_record_spending(user: User, project: Project) -> bool:
    return is_lead_member(user, project)
