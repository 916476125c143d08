"""Who may do what to a project (style.md habits 5 and 6).

`restrict(user, action)` is the one path every list, detail, count, search and export goes
through. Anything outside it answers 404 (domain.md §2: existence must not leak). Role checks come
after the scope check and answer 403."""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.core.errors import ErrorCode, Forbidden, NotFound
from egovpm.projects.choices import BEFORE_PROPOSAL_APPROVAL, TRANSITIONS, Actor
from egovpm.projects.errors import ProjectError
from egovpm.projects.models import Assignment, Participation, Project

READ_ALL_ROLES = (Role.NDRC_OFFICER, Role.MOF_VIEWER)
DEPT_ROLES = (Role.DEPT_STAFF, Role.DEPT_LEADER)
ASSIGNABLE_ROLES = (Role.EXPERT, Role.INSPECTOR, Role.ARCHIVIST)


# What an expert assigned to a review may do with the project: read its summary, the
# needs-analysis report, and the review itself. For every other read ("view": estimates, reports,
# systems, archives, events …) the expert assignment does not count, so those answer 404.
EXPERT_ACTIONS = frozenset({"summary", "documents", "review"})
NON_EXPERT_TASKS = ("archivist", "inspector", "evaluator")


def _scope_conditions(user: User, action: str) -> list[Q] | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.has_role(*READ_ALL_ROLES):
        return None
    conditions = []
    if user.has_role(*DEPT_ROLES) and user.department_id:
        participating = Participation.objects.filter(department_id=user.department_id).values("project_id")
        conditions += [Q(lead_department_id=user.department_id), Q(pk__in=participating)]
    if user.has_role(*ASSIGNABLE_ROLES):
        assigned = Assignment.objects.filter(user_id=user.pk)
        if action == "view":
            assigned = assigned.filter(task__in=NON_EXPERT_TASKS)
        conditions.append(Q(pk__in=assigned.values("project_id")))
    return conditions


def scope_q(user: User, action: str = "view") -> Q | None:
    """The projects `user` may see for `action`, as a filter on Project; None means all of them.

    Each condition is on the project row itself or `pk IN (an indexed subquery)`, never a join:
    no row is repeated (no DISTINCT needed), and PostgreSQL finds a department's projects through
    the indexes project_lead_newest and participation_by_department instead of scanning every
    project with a LEFT JOIN (issue 13)."""
    conditions = _scope_conditions(user, action)
    if conditions is None:
        return None
    return functools.reduce(operator.or_, conditions, Q(pk__in=[]))


def scope_conditions(user: User, action: str = "view") -> list[Q] | None:
    """scope_q as the list of its conditions (overlapping; none: nothing, None: everything): a
    record of a project filters by `project_id IN (each one's project ids)`, OR-ed, each answered by
    an index, where `project_id IN (the projects WHERE the OR of them)` scans every project."""
    return _scope_conditions(user, action)


def summary_is_view(user: User) -> bool:
    """Whether every project in the user's summary scope is in their view scope too: only an
    assignment as an expert reaches a project's summary without its file (EXPERT_ACTIONS)."""
    return bool(user.has_role(*READ_ALL_ROLES) or not user.has_role(*ASSIGNABLE_ROLES))


def scope_parts(user: User, action: str = "view") -> list[Q] | None:
    """scope_q as disjoint parts (each excludes the ones before it): the count of the scope is the
    sum of the parts' counts, each of which an index answers (`lead = d`; `pk IN participations AND
    NOT lead = d`) where the OR of them makes PostgreSQL scan the whole table. None: everything."""
    conditions = _scope_conditions(user, action)
    if conditions is None:
        return None
    return [c & ~functools.reduce(operator.or_, conditions[:i]) if i else c for i, c in enumerate(conditions)]


def restrict(user: User, action: str = "view", queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects `user` may see for `action` (see EXPERT_ACTIONS); the role check follows."""
    qs = queryset if queryset is not None else Project.objects.all()
    q = scope_q(user, action)
    if q is None:
        return qs
    return qs.filter(q)


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
