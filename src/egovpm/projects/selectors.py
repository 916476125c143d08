"""Reads on projects, all through policies.restrict."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.projects import policies
from egovpm.projects.choices import TRANSITIONS, AssignmentTask
from egovpm.projects.facts import project_facts
from egovpm.projects.filters import ProjectFilter
from egovpm.projects.models import Assignment, Participation, Project, StageEvent
from egovpm.rules import engine
from egovpm.rules.facts import Context


def project_list(*, user: User, stage: str = "", department: str = "", q: str = "") -> QuerySet[Project]:
    """The projects the user may see, filtered; query count independent of the number of rows."""
    qs = (
        policies.restrict(user, "summary")
        .select_related("lead_department")
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("department")))
    )
    # The list's one FilterSet (projects/filters.py), the API's and the UI's; a value the callers
    # did not validate (an unknown stage) selects nothing rather than being ignored.
    filters = ProjectFilter({"stage": stage, "department": department, "q": q}, queryset=qs)
    if not filters.is_valid():
        return qs.none()
    return filters.qs.order_by("-created_at", "code")


def project_detail(*, user: User, project_id: Any) -> Project:
    """The project's summary: also what an expert assigned to its review may read."""
    return policies.project_for(user, project_id, "summary")


def project_events(*, project: Project) -> QuerySet[StageEvent]:
    return project.events.select_related("actor").order_by("seq")


def project_compliance(*, project: Project, as_of: dt.date | None = None, language: str = "zh") -> dict[str, Any]:
    """Every rule of the project's pack, judged on the records dated on or before `as_of`."""
    as_of = as_of or clock.today()
    pack = engine.load_pack(project.regime)
    facts = project_facts(project=project, as_of=as_of)
    results = engine.evaluate(pack, facts, Context(as_of=as_of), language)
    return {
        "regime": pack.regime,
        "pack_version": pack.version,
        "pack_sha256": pack.sha256,
        "as_of": as_of.isoformat(),
        "results": results,
    }


def inbox_projects(*, user: User) -> list[tuple[Project, list[str]]]:
    """待办: projects waiting for a forward move this user's role may take (not return/cancel)."""
    stages = {s for a, t in TRANSITIONS.items() if a not in ("return", "cancel") for s in t.sources}
    items = []
    for project in policies.restrict(user).filter(stage__in=stages).select_related("lead_department"):
        actions = [
            a
            for a, t in TRANSITIONS.items()
            if a not in ("return", "cancel") and project.stage in t.sources and policies.may_act(user, project, a)
        ]
        if actions:
            items.append((project, actions))
    return items


def events_by_actor(*, user: User, limit: int = 20) -> list[StageEvent]:
    """已办: the stage events this user recorded, newest first, on projects still in their scope."""
    return list(
        StageEvent.objects.filter(actor=user, project__in=policies.restrict(user))
        .select_related("project")
        .order_by("-at", "-seq")[:limit]
    )


def assignments_visible(*, user: User, project: Project) -> QuerySet[Assignment]:
    """Who is assigned to the project. The experts of a review are listed to NDRC only (and each
    expert sees their own row): a department must not learn who sits on the panel judging it."""
    qs = Assignment.objects.filter(project=project).select_related("user", "user__department", "assigned_by")
    if not user.has_role(Role.NDRC_OFFICER):
        qs = qs.exclude(Q(task=AssignmentTask.EXPERT) & ~Q(user_id=user.pk))
    return qs.order_by("task", "assigned_at")
