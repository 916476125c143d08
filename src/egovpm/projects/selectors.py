"""Reads on projects, all through policies.restrict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, overload

from django.db import connection
from django.db.models import CharField, F, Func, OuterRef, Q, QuerySet, Subquery

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.core.api import slice_from_nearer_end
from egovpm.core.lists import sort_param
from egovpm.projects import policies
from egovpm.projects.choices import TRANSITIONS, AssignmentTask
from egovpm.projects.facts import project_facts
from egovpm.projects.filters import (
    PAST_FILTERS,
    VERDICT_FILTERS,
    ProjectFilter,
    department_conditions,
    freshen_verdicts,
    select_as_of,
)
from egovpm.projects.models import Assignment, Participation, Project, StageEvent
from egovpm.rules import engine
from egovpm.rules.facts import Context

# The project list's order: newest first, then by code (unique: every row has one place, which
# keyset pages need). The index project_newest_first serves it (and project_lead_newest inside a
# department); core.api.KeysetPagination pages by it.
LIST_ORDER = ("-created_at", "code")

# The list page's sortable columns (issue 15 item 5, ADR 0018), each ending in the unique `code`:
# an index serves each in both directions (the unique index on `code`; project_name_code), so a
# sorted page reads 20 index entries as the default order does (EXPLAIN on PostgreSQL: ADR 0018).
# Stage and lead department are filters, not sorts: no index orders the projects by a stage's
# place in the lifecycle or by a department's name.
LIST_SORTS: dict[str, tuple[str, ...]] = {"code": ("code",), "name": ("name", "code")}


def list_order(sort: str) -> tuple[str, ...]:
    """The list's order for the page's `sort` (`key` or `-key` of LIST_SORTS; anything else:
    LIST_ORDER). A descending sort reverses every field, so the same index is read backwards."""
    chosen = sort_param(sort, LIST_SORTS)
    if not chosen:
        return LIST_ORDER
    fields = LIST_SORTS[chosen.lstrip("-")]
    return tuple(f"-{f}" for f in fields) if chosen.startswith("-") else fields


def list_scope(params: dict[str, str]) -> str:
    """The scope of the list: the summary (what an assigned expert may find), or the full file
    when a filter reads the stored verdicts or a past date is asked (the cockpit's scope)."""
    return "view" if params.get("as_of") or any(params.get(name) for name in VERDICT_FILTERS) else "summary"


def _as_of_rows(user: User, params: dict[str, str]) -> QuerySet[Project]:
    """`as_of` (a past date, validated by the caller): the filters that do not depend on the
    date applied as today, then filters.select_as_of — the projects that existed at the end of
    that day, selected by their stage, health, failing rules, reports, adjustments, delivery modes
    and post-evaluations as they stood then (the portfolio's per-project facts of that date)."""
    day = dt.date.fromisoformat(params["as_of"])
    qs = policies.restrict(user, "view")
    static = {k: v for k, v in params.items() if v and k not in PAST_FILTERS and k != "as_of"}
    if static:
        filters = ProjectFilter(static, queryset=qs)
        qs = filters.qs if filters.is_valid() else qs.none()
    return select_as_of(qs, day, {k: params.get(k, "") for k in PAST_FILTERS})


def project_list_rows(*, user: User, **params: str) -> QuerySet[Project]:
    """The projects the user may see, filtered by `params` (the FilterSet's: stage, department, q,
    health, rule — already validated by the caller) and in LIST_ORDER, nothing related loaded:
    the API reads `.values()` of it (projects/api.py), the UI `project_list` below.

    With `health` or `rule` the stored verdicts of the user's projects are made fresh first
    (filters.freshen_verdicts: compliance registers its ensure_fresh there), so the drill-down
    never lists a project by a verdict that no longer holds. A project's verdict is part of its
    file, not of its summary: a verdict filter lists only the projects the user may read in full
    (an expert assigned to a review finds its project in the list, never its health)."""
    if params.get("as_of"):
        return _as_of_rows(user, params).order_by(*LIST_ORDER)
    qs = policies.restrict(user, list_scope(params))
    if not any(params.values()):
        return qs.order_by(*LIST_ORDER)  # no filter: no FilterSet (its form costs more than the query)
    if any(params.get(name) for name in VERDICT_FILTERS):
        freshen_verdicts(qs)
    # The list's one FilterSet (projects/filters.py), the API's and the UI's; a value the callers
    # did not validate (an unknown stage) selects nothing rather than being ignored.
    filters = ProjectFilter(params, queryset=qs)
    if not filters.is_valid():
        return qs.none()
    return filters.qs.order_by(*LIST_ORDER)


def project_list_count(*, user: User, **params: str) -> int:
    """The exact number of rows of project_list_rows (call that first: it freshens the verdicts),
    in one query that indexes answer: the scope's conditions (policies.scope_conditions: lead,
    participation, assignment) and the department filter's (filters.department_conditions) are
    counted as the UNION of each condition's project ids, `SELECT COUNT(*) FROM (SELECT id … UNION
    SELECT id …)`: without another filter each part is an index-only scan (project_lead_id,
    participation_by_department and the primary key). The OR of them, as the list itself filters,
    makes PostgreSQL scan every project to count a department's 3,000 (issue 13); disjoint parts
    (`participated AND NOT led`) read every participating project's row."""
    if params.get("as_of"):
        return _as_of_rows(user, params).count()  # a past date: at most PAST_AS_OF_MAX_PROJECTS in scope
    department = params.pop("department", "")
    scope = policies.scope_conditions(user, list_scope(params))
    if scope is None and not department and not any(params.values()):
        return project_total()
    filters = ProjectFilter(params, queryset=Project.objects.all())
    if not filters.is_valid():
        return 0
    by_department = department_conditions(department) if department else [Q()]
    conditions = [s & d for s in (scope if scope is not None else [Q()]) for d in by_department]
    if len(conditions) <= 1:
        return filters.qs.filter(conditions[0]).count() if conditions else 0
    if any(params.values()):
        ids = [filters.qs.filter(c).order_by().values("pk") for c in conditions]
    else:
        ids = [_condition_ids(c) for c in conditions]
    return ids[0].union(*ids[1:]).count()


def _condition_ids(condition: Q) -> QuerySet[Any]:
    """The ids of the projects a scope condition selects, alone: for `pk IN (subquery)` the
    subquery itself (the participations' or assignments' project ids — foreign keys, so every one
    is a project's), without a probe of each project; otherwise the projects' own ids."""
    if not condition.negated and len(condition.children) == 1:
        child = condition.children[0]
        if isinstance(child, tuple) and child[0] == "pk__in" and isinstance(child[1], QuerySet):
            return child[1].order_by()
    return Project.objects.filter(condition).order_by().values("pk")


def keys_first(user: User, params: dict[str, str]) -> bool:
    """Whether the list reads a page's keys before its rows (core.api.ordered_slice): for a
    department's scope, the department filter (`lead = d OR id IN participations`) or `q` (name,
    code), which the index project_newest_first judges on its entries; not for everything alone."""
    return bool(params.get("department") or params.get("q")) or (
        policies.scope_conditions(user, list_scope(params)) is not None
    )


def project_total() -> int:
    """How many projects there are: on PostgreSQL one row kept by triggers in the writing
    transactions (migration projects.0003_project_total: exact, not an estimate), elsewhere — or
    when that row is missing — COUNT(*)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT total FROM projects_total WHERE id = 1")
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
    return Project.objects.count()


class ListedProjects:
    """The UI list's rows as django.core.paginator.Paginator reads them (`count()`, slices): the
    count is project_list_count (indexed parts, the kept total: not the OR of the scope that makes
    PostgreSQL scan the table), and a page in the second half of the list is read from the other
    end (core.api.slice_from_nearer_end). Only for paging: it is not a QuerySet to filter on."""

    ordered = True  # Paginator warns about unordered lists; LIST_ORDER is total

    def __init__(
        self,
        queryset: QuerySet[Project],
        count: Callable[[], int],
        ordering: tuple[str, ...] = LIST_ORDER,
        keys: QuerySet[Project] | None = None,
    ) -> None:
        self.queryset = queryset
        self.keys = keys
        self._count = count
        self.ordering = ordering
        self._total: int | None = None

    def count(self) -> int:
        if self._total is None:
            self._total = self._count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Project]:
        return iter(self.queryset)

    @overload
    def __getitem__(self, index: int) -> Project: ...
    @overload
    def __getitem__(self, index: slice) -> list[Project]: ...
    def __getitem__(self, index: int | slice) -> Project | list[Project]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, step = index.indices(self.count())
        if step != 1:
            raise ValueError("step slices are not supported")
        return slice_from_nearer_end(self.queryset, self.ordering, start, stop, self.count(), keys=self.keys)


# What the UI list's table shows of a project (projects/_table.html): no long texts, no participations.
UI_LIST_COLUMNS = ("id", "code", "name", "stage", "created_at", "lead_department__name")


def project_list(*, user: User, sort: str = "", **params: str) -> ListedProjects:
    """The projects the user may see, filtered, for the UI list's Paginator (ListedProjects), in
    the order of `sort` (list_order), only the columns the table shows; query count independent
    of the number of rows. A department's page reads its keys first (keys_first)."""
    ordering = list_order(sort)
    rows = project_list_rows(user=user, **params)
    qs = rows.order_by(*ordering).select_related("lead_department").only(*UI_LIST_COLUMNS)
    keys = rows if keys_first(user, params) else None
    return ListedProjects(qs, lambda: project_list_count(user=user, **params), ordering, keys=keys)


class ParticipatingCodes(Func):
    """The participating departments' codes of the row's project, joined by commas (department
    codes are slugs), computed in the row itself by a correlated subquery: the list reads them
    without a second query. PostgreSQL: ARRAY_TO_STRING(ARRAY(…)); SQLite: GROUP_CONCAT.
    `split_codes` turns the value into the sorted list the API shows."""

    output_field = CharField()
    template = "(SELECT GROUP_CONCAT(codes.code, ',') FROM %(expressions)s AS codes)"

    def __init__(self) -> None:
        codes = Participation.objects.filter(project_id=OuterRef("pk")).values(code=F("department__code"))
        super().__init__(Subquery(codes))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="ARRAY_TO_STRING(ARRAY%(expressions)s, ',')", **extra)


def split_codes(joined: str | None) -> list[str]:
    return sorted(joined.split(",")) if joined else []


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


INBOX_LIMIT = 20
FORWARD = {a: t for a, t in TRANSITIONS.items() if a not in ("return", "cancel")}


def _actionable(user: User) -> Q:
    """policies.may_act as a filter: the projects in a stage where a forward action is this user's."""
    from egovpm.projects.choices import BEFORE_PROPOSAL_APPROVAL, Actor

    ndrc = user.has_role(Role.NDRC_OFFICER)
    own = Q(lead_department_id=user.department_id) if user.department_id else None
    lead = own if own is not None and user.has_role(*policies.DEPT_ROLES) else None
    leader = own if own is not None and user.has_role(Role.DEPT_LEADER) else None
    who: dict[str, Q | None] = {
        Actor.DEPT: lead,
        Actor.DEPT_LEADER: leader,
        Actor.NDRC: Q() if ndrc else None,
        Actor.NDRC_OR_ENTRUSTED: Q() if ndrc else (leader & Q(completion_entrusted=True) if leader else None),
        Actor.NDRC_OR_EARLY_LEADER: Q()
        if ndrc
        else (leader & Q(stage__in=BEFORE_PROPOSAL_APPROVAL) if leader else None),
    }
    q = Q(pk__in=[])
    for t in FORWARD.values():
        actor = who.get(t.actor)
        if actor is not None:
            q |= Q(stage__in=t.sources) & actor
    return q


def inbox_projects_qs(*, user: User) -> QuerySet[Project]:
    """Every project in the user's scope waiting for a forward move the user may take, the longest
    waiting first (one query; the stage index answers the stage part)."""
    return policies.restrict(user).filter(_actionable(user)).order_by("updated_at", "code")


def inbox_projects(*, user: User, limit: int | None = INBOX_LIMIT) -> list[tuple[Project, list[str]]]:
    """待办: projects waiting for a forward move this user's role may take (not return/cancel): the
    `limit` longest waiting (None: all), each with its actions; `inbox_projects_count` says how many
    there are in all."""
    qs = inbox_projects_qs(user=user).select_related("lead_department")
    items = []
    for project in qs[:limit] if limit is not None else qs:
        actions = [a for a, t in FORWARD.items() if project.stage in t.sources and policies.may_act(user, project, a)]
        if actions:
            items.append((project, actions))
    return items


def inbox_projects_count(*, user: User) -> int:
    return inbox_projects_qs(user=user).count()


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
