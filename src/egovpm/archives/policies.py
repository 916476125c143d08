"""Who may do what with a project's archive. Scope first (projects.policies.project_for → 404),
then these role questions (→ 403)."""

from __future__ import annotations

from typing import Any

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import AssignmentTask
from egovpm.projects.models import Assignment, Project


def is_assigned_archivist(user: User, project: Project) -> bool:
    return bool(
        user.has_role(Role.ARCHIVIST)
        and Assignment.objects.filter(project=project, user_id=user.pk, task=AssignmentTask.ARCHIVIST).exists()
    )


def may_record_acceptance(user: User, project: Project) -> bool:
    """An archivist NDRC assigned to the project for archive acceptance — never one of the lead
    department: a department does not accept its own archives (clause 7)."""
    return is_assigned_archivist(user, project) and user.department_id != project.lead_department_id


def may_record_acceptance_of(user: User, projects: list[Project]) -> set[Any]:
    """may_record_acceptance for a page of projects at once (one query): the ids it allows."""
    if not user.has_role(Role.ARCHIVIST):
        return set()
    assigned = Assignment.objects.filter(
        project_id__in=[p.pk for p in projects], user_id=user.pk, task=AssignmentTask.ARCHIVIST
    ).values_list("project_id", flat=True)
    leads = {p.pk: p.lead_department_id for p in projects}
    return {pk for pk in assigned if user.department_id != leads[pk]}


def may_archive(user: User, project: Project) -> bool:
    """The lead department files documents into the project archive (归档)."""
    return project_policies.is_lead_member(user, project)


def may_download_package(user: User, project: Project) -> bool:
    """Everyone who can see the project may read each archived document, hence the package too."""
    return True
