"""Who may do what with progress reports (domain.md §2, §6). Every project-scoped call starts with
projects.policies.project_for (404 outside scope); these role checks come after and answer 403."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project
from egovpm.reports.choices import Recipient


def may_submit(user: User, project: Project) -> bool:
    """The lead department's staff and leaders report on their project (clause 4: 项目建设部门)."""
    return project_policies.is_lead_member(user, project)


def may_return(user: User) -> bool:
    """NDRC returns a report for revision."""
    return bool(user.has_role(Role.NDRC_OFFICER))


def recipient_of(user: User) -> str | None:
    """Which of the two recipients the user acknowledges for (签收), if any."""
    if user.has_role(Role.NDRC_OFFICER):
        return Recipient.NDRC
    if user.has_role(Role.MOF_VIEWER):
        return Recipient.MOF
    return None


def may_view_portfolio(user: User) -> bool:
    """The submission matrix across departments is for the two recipients."""
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER))


def may_see_own_obligations(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*project_policies.DEPT_ROLES))
