"""Reads of the inspections app: one inspection or item within the caller's scope, a project's
inspections and rectification items (as of a date), and the seams other apps read
(`department_items`, `inspections_for`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from egovpm.accounts.models import Department, User
from egovpm.core.errors import NotFound
from egovpm.inspections import machine
from egovpm.inspections.errors import InspectionError
from egovpm.inspections.models import (
    Finding,
    Inspection,
    InspectionInspector,
    RectificationEvent,
    RectificationItem,
)
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project


def _uuid(value: Any, reason: InspectionError) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(reason) from None


def inspection_for(user: User, inspection_id: Any, action: str = "view", *, for_update: bool = False) -> Inspection:
    """The inspection, or 404 when it is missing or its project is outside the user's scope."""
    pk = _uuid(inspection_id, InspectionError.INSPECTION_NOT_FOUND)
    project_id = Inspection.objects.filter(pk=pk).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound(InspectionError.INSPECTION_NOT_FOUND)
    project = project_policies.project_for(user, project_id, action, for_update=for_update)
    qs = Inspection.objects.all()
    if for_update:
        qs = qs.select_for_update()
    inspection = qs.get(pk=pk)
    inspection.project = project
    return inspection


def item_for(user: User, item_id: Any, action: str = "view", *, for_update: bool = False) -> RectificationItem:
    pk = _uuid(item_id, InspectionError.ITEM_NOT_FOUND)
    project_id = RectificationItem.objects.filter(pk=pk).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound(InspectionError.ITEM_NOT_FOUND)
    project = project_policies.project_for(user, project_id, action, for_update=for_update)
    qs = RectificationItem.objects.select_related("finding__inspection")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    item = qs.get(pk=pk)
    item.project = project
    return item


def with_details(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """An inspection with its inspectors, findings, items and their events: a fixed number of queries."""
    return qs.select_related("opened_by", "issued_by").prefetch_related(
        Prefetch("inspectors", queryset=InspectionInspector.objects.select_related("user").order_by("user__username")),
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("item").order_by("seq"),
        ),
        Prefetch(
            "findings__item__events",
            queryset=RectificationEvent.objects.select_related("actor")
            .prefetch_related("evidence__document")
            .order_by("seq"),
        ),
    )


def project_inspections(*, project: Project) -> QuerySet[Inspection]:
    return with_details(Inspection.objects.filter(project=project)).order_by("-started_on", "-opened_at")


def machine_events(events: Iterable[RectificationEvent]) -> list[machine.ItemEvent]:
    return [machine.ItemEvent(e.kind, e.effective_date, e.new_due_date) for e in events]


@dataclass(frozen=True)
class ItemView:
    """A rectification item as of a date (the machine's replay of its events)."""

    item: RectificationItem
    state: str
    due_date: dt.date
    overdue: bool


def rectifications(*, project: Project, as_of: dt.date) -> list[ItemView]:
    """The project's items as of `as_of`, soonest due first (two queries)."""
    items = (
        RectificationItem.objects.filter(project=project, issued_on__lte=as_of)
        .select_related("finding__inspection")
        .prefetch_related(Prefetch("events", queryset=RectificationEvent.objects.order_by("seq")))
        .order_by("due_date", "finding__inspection__reference", "finding__seq")
    )
    views = []
    for item in items:
        s = machine.item_state_on(item.initial_due_date, machine_events(item.events.all()), as_of)
        views.append(ItemView(item, s.state, s.due_date, s.overdue))
    return sorted(views, key=lambda v: (v.due_date, v.item.finding.inspection.reference, v.item.finding.seq))


def department_items(department: Department, as_of: dt.date) -> dict[str, Any]:
    """The rectification items of the projects a department leads, as of a date (seam for the
    department record): {"open": n (not closed), "overdue": [{"id","project","reference",
    "finding","due_date"}…]}. Two queries whatever the number of items."""
    items = (
        RectificationItem.objects.filter(project__lead_department=department, issued_on__lte=as_of)
        .select_related("finding__inspection", "project")
        .prefetch_related(Prefetch("events", queryset=RectificationEvent.objects.order_by("seq")))
        .order_by("due_date")
    )
    open_count, overdue = 0, []
    for item in items:
        s = machine.item_state_on(item.initial_due_date, machine_events(item.events.all()), as_of)
        if s.state != machine.CLOSED:
            open_count += 1
        if s.overdue:
            overdue.append(
                {
                    "id": str(item.pk),
                    "project": str(item.project_id),
                    "project_code": item.project.code,
                    "reference": item.finding.inspection.reference,
                    "finding": item.finding.seq,
                    "due_date": s.due_date,
                }
            )
    return {"open": open_count, "overdue": overdue}


def inspections_for(projects: Sequence[Project]) -> dict[Any, list[Inspection]]:
    """The inspections of a page of projects, newest first per project (one query)."""
    out: dict[Any, list[Inspection]] = defaultdict(list)
    rows = Inspection.objects.filter(project_id__in=[p.pk for p in projects]).order_by("-started_on", "-opened_at")
    for inspection in rows:
        out[inspection.project_id].append(inspection)
    return dict(out)


def inspector_inspections(*, user: User) -> QuerySet[Inspection]:
    """The inspections the user is an inspector of, newest first."""
    return (
        Inspection.objects.filter(pk__in=InspectionInspector.objects.filter(user_id=user.pk).values("inspection_id"))
        .select_related("project")
        .order_by("-started_on", "-opened_at")
    )


def inspector_users() -> QuerySet[User]:
    """Active users holding the inspector role (NDRC picks the inspectors among them)."""
    from egovpm.accounts.choices import Role

    return (
        User.objects.filter(is_active=True, roles__role=Role.INSPECTOR)
        .select_related("department")
        .order_by("display_name", "username")
    )


def department_open_items(*, department_id: Any) -> QuerySet[RectificationItem]:
    """The open rectification items of the projects a department leads, due soonest first (its 待办)."""
    return (
        RectificationItem.objects.filter(project__lead_department_id=department_id, state=machine.OPEN)
        .select_related("finding__inspection", "project")
        .order_by("due_date", "pk")
    )


def inspector_todo(*, user: User) -> QuerySet[Inspection]:
    """The user's inspections with something for them to do: findings to record and the report to
    issue (in progress), or answers to check (an item submitted)."""
    from django.db.models import Q

    waiting = RectificationItem.objects.filter(state=machine.SUBMITTED).values("finding__inspection_id")
    return (
        Inspection.objects.filter(pk__in=InspectionInspector.objects.filter(user_id=user.pk).values("inspection_id"))
        .filter(Q(state=machine.IN_PROGRESS) | Q(pk__in=waiting))
        .select_related("project")
        .order_by("started_on", "opened_at")
    )


def visible_inspections(*, user: User) -> QuerySet[Inspection]:
    """The 监督检查 page: an inspector's own inspections; anyone else's, those of the projects in
    their read scope (NDRC and MoF: all)."""
    from egovpm.accounts.choices import Role

    if user.has_role(Role.INSPECTOR) and not user.has_role(*project_policies.READ_ALL_ROLES):
        return inspector_inspections(user=user)
    qs = Inspection.objects.all()
    q = project_policies.scope_q(user, "view")
    if q is not None:
        qs = qs.filter(project__in=project_policies.restrict(user, "view").values("pk"))
    return qs.select_related("project", "project__lead_department").order_by("-started_on", "-opened_at")


def items_as_of(as_of: dt.date) -> QuerySet[Any]:
    """The rectification items issued by `as_of`, each annotated with its state then: `last_kind`,
    the kind of its last event dated on or before `as_of` (none or a reopen: open; an answer:
    submitted; a close: closed), and `due`, the last reopen's new due date or the first."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    events = RectificationEvent.objects.filter(item=OuterRef("pk"), effective_date__lte=as_of).order_by("-seq")
    moved = events.filter(kind=machine.REOPEN, new_due_date__isnull=False)
    return RectificationItem.objects.filter(issued_on__lte=as_of).annotate(
        last_kind=Subquery(events.values("kind")[:1]),
        due=Coalesce(Subquery(moved.values("new_due_date")[:1]), "initial_due_date"),
    )


def rectification_state(state: str, as_of: dt.date) -> Q:
    """On items_as_of(as_of): `open` — not closed; `overdue` — open (no answer pending) past its due date."""
    if state == "open":
        return Q(last_kind__isnull=True) | ~Q(last_kind=machine.CLOSE)
    return (Q(last_kind__isnull=True) | Q(last_kind=machine.REOPEN)) & Q(due__lt=as_of)


def rectification_figures(projects: QuerySet[Project], as_of: dt.date, today: bool) -> dict[str, int]:
    """The cockpit's `rectifications` figure over the caller's projects: {"open": items not closed,
    "overdue": items open past their due date}, as of `as_of` — ONE aggregate query (items_as_of)."""
    from django.db.models import Count

    rows = items_as_of(as_of).filter(project__in=projects.values("pk"))
    totals = rows.aggregate(**{k: Count("pk", filter=rectification_state(k, as_of)) for k in ("open", "overdue")})
    return {"open": totals["open"] or 0, "overdue": totals["overdue"] or 0}


def rectification_projects(projects: QuerySet[Project], as_of: dt.date) -> dict[str, int]:
    """How many of `projects` have at least one item open / overdue on `as_of` — the rows of the
    drill-down `GET /projects?rectification=open|overdue`; one aggregate query."""
    from django.db.models import Count

    rows = items_as_of(as_of).filter(project__in=projects.values("pk"))
    totals = rows.aggregate(
        **{k: Count("project", distinct=True, filter=rectification_state(k, as_of)) for k in ("open", "overdue")}
    )
    return {"open": totals["open"] or 0, "overdue": totals["overdue"] or 0}


def projects_with_rectifications(state: str, as_of: dt.date) -> QuerySet[Any]:
    """The ids of the projects with at least one item `open` / `overdue` on `as_of` (a subquery)."""
    return items_as_of(as_of).filter(rectification_state(state, as_of)).values("project_id")
