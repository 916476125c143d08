"""Who may do what to a project (style.md habits 5 and 6).

`restrict(user, action)` is the one path every list, detail, count, search and export goes
through. Anything outside it answers 404 (domain.md §2: existence must not leak). Role checks come
after the scope check and answer 403."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.core.errors import ErrorCode, Forbidden, NotFound
from egovpm.projects.choices import BEFORE_PROPOSAL_APPROVAL, TRANSITIONS, Actor
from egovpm.projects.errors import ProjectError
from egovpm.projects.models import Project

READ_ALL_ROLES = (Role.NDRC_OFFICER, Role.MOF_VIEWER)
DEPT_ROLES = (Role.DEPT_STAFF, Role.DEPT_LEADER)
ASSIGNABLE_ROLES = (Role.EXPERT, Role.INSPECTOR, Role.ARCHIVIST)


# What an expert assigned to a review may do with the project: read its summary, the
# needs-analysis report, and the review itself. For every other read ("view": estimates, reports,
# systems, archives, events …) the expert assignment does not count, so those answer 404.
EXPERT_ACTIONS = frozenset({"summary", "documents", "review"})
NON_EXPERT_TASKS = ("archivist", "inspector", "evaluator")


def scope_q(user: User, action: str = "view") -> Q | None:
    """The projects `user` may see for `action`, as a filter; None means all of them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.has_role(*READ_ALL_ROLES):
        return None
    q = Q(pk__in=[])
    if user.has_role(*DEPT_ROLES) and user.department_id:
        q |= Q(lead_department_id=user.department_id) | Q(participations__department_id=user.department_id)
    if user.has_role(*ASSIGNABLE_ROLES):
        if action == "view":
            # one Q, so both conditions hold for the same assignment row
            q |= Q(assignments__user_id=user.pk, assignments__task__in=NON_EXPERT_TASKS)
        else:
            q |= Q(assignments__user_id=user.pk)
    return q


def restrict(user: User, action: str = "view", queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects `user` may see for `action` (see EXPERT_ACTIONS); the role check follows."""
    qs = queryset if queryset is not None else Project.objects.all()
    q = scope_q(user, action)
    if q is None:
        return qs
    # A department can reach a project both as lead and as participant: keep each project once
    # without DISTINCT (which would break ordering and counts on some backends).
    return qs.filter(pk__in=Project.objects.filter(q).values("pk"))


def project_for(user: User, project_id: Any, action: str = "view", *, for_update: bool = False) -> Project:
    """The project, or NotFound when it is missing or outside the user's scope."""
    try:
        pk = uuid.UUID(str(project_id))
    except ValueError:
        raise NotFound(ProjectError.PROJECT_NOT_FOUND) from None
    qs = restrict(user, action).select_related("lead_department")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    project = qs.filter(pk=pk).first()
    if project is None:
        raise NotFound(ProjectError.PROJECT_NOT_FOUND)
    return project


def is_lead_member(user: User, project: Project, *roles: str) -> bool:
    return bool(user.department_id == project.lead_department_id and user.has_role(*(roles or DEPT_ROLES)))


def is_participant_member(user: User, project: Project) -> bool:
    return bool(
        user.department_id
        and user.has_role(*DEPT_ROLES)
        and project.participations.filter(department_id=user.department_id).exists()
    )


def expert_only(user: User, project: Project) -> bool:
    """True when the user reaches this project only as an assigned expert: then they read the
    project summary and the needs-analysis report their review is about, not the whole file
    (domain.md §2: experts read only what their review needs)."""
    if (
        not user.has_role(Role.EXPERT)
        or user.has_role(*READ_ALL_ROLES)
        or (user.has_role(*DEPT_ROLES) and (is_lead_member(user, project) or is_participant_member(user, project)))
    ):
        return False
    tasks = set(project.assignments.filter(user_id=user.pk).values_list("task", flat=True))
    return tasks == {"expert"}


def may_edit(user: User, project: Project) -> bool:
    """Edit the registry fields: the lead department's staff and leaders (domain.md §4)."""
    return is_lead_member(user, project)


def may_add_documents(user: User, project: Project) -> bool:
    """Lead and participating departments add documents (domain.md §2)."""
    return is_lead_member(user, project) or is_participant_member(user, project)


def may_act(user: User, project: Project, action: str) -> bool:
    """Does the user's role allow `action` on this project (regardless of the stage)?"""
    t = TRANSITIONS[action]
    ndrc = user.has_role(Role.NDRC_OFFICER)
    if t.actor == Actor.DEPT:
        return is_lead_member(user, project)
    if t.actor == Actor.DEPT_LEADER:
        return is_lead_member(user, project, Role.DEPT_LEADER)
    if t.actor == Actor.NDRC:
        return ndrc
    if t.actor == Actor.NDRC_OR_ENTRUSTED:
        return ndrc or (project.completion_entrusted and is_lead_member(user, project, Role.DEPT_LEADER))
    if t.actor == Actor.NDRC_OR_EARLY_LEADER:
        return ndrc or (project.stage in BEFORE_PROPOSAL_APPROVAL and is_lead_member(user, project, Role.DEPT_LEADER))
    return False


def require(allowed: bool, reason: ErrorCode | str, params: Mapping[str, Any] | None = None) -> None:
    """403 with `reason` (an ErrorCode of the caller's app) unless `allowed`. A plain string is the
    legacy form that tests/core/test_error_codes.py lists for removal."""
    if not allowed:
        if isinstance(reason, ErrorCode):
            raise Forbidden(reason, params)
        raise Forbidden(reason)


def may_assign(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER))
