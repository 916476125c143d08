"""Project records → plain facts for the rules engine. Other apps add their own records through
`register_fact_provider` (called from their AppConfig.ready), so dependencies point one way.

Facts are gathered in batches (issue 13: the stored verdicts refresh thousands of projects a
second): each provider reads its records for a whole batch of projects with a fixed number of
queries (`project_id__in=…`) and groups them in Python. The facts of one project are the batch of
one, so the gates, the compliance page and the stored verdicts share one implementation."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import ForeignKey, Lookup, QuerySet, UUIDField

from egovpm.accounts.models import Department
from egovpm.projects.models import Participation, Project, StageEvent
from egovpm.rules.facts import ProjectFacts, StageEventFact

# (projects, as_of) -> {project pk: {ProjectFacts field: value, ..., "horizon": date | None}}
FactProvider = Callable[[Sequence[Project], dt.date], Mapping[Any, dict[str, Any]]]
_providers: list[FactProvider] = []

# The largest number of projects one round of queries covers: bounds the size of the SQL (the
# `IN` lists) and of the rows held at once; a longer list is gathered in slices of this size.
BATCH_SIZE = 1000


def register_fact_provider(provider: FactProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


class Horizons:
    """Per project, the earliest date strictly after `as_of` among the dates it is shown (None,
    or on/before `as_of`, are ignored): what a provider reports as its "horizon"."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._earliest: dict[Any, dt.date] = {}

    def see(self, pk: Any, *days: dt.date | None) -> None:
        for day in days:
            if day is not None and day > self.as_of:
                current = self._earliest.get(pk)
                if current is None or day < current:
                    self._earliest[pk] = day

    def get(self, pk: Any) -> dt.date | None:
        return self._earliest.get(pk)


# The Project columns the facts read (`_gather`, and `regime` for the providers): a batch loads only
# these (`for_facts`), not the long texts and timestamps of the project page.
FACT_FIELDS = (
    "id",
    "regime",
    "lead_department",
    "joint_central_local",
    "responsible_leader_name",
    "responsible_leader_title",
    "business_unit",
    "technical_unit",
    "service_outsourcing",
    "data_hosting",
    "version",
)


def for_facts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """`projects` loaded for project_facts_batch: the fact columns and the lead department's kind
    (joined: the same one query as before, so a refresh's query count does not move)."""
    return projects.select_related("lead_department").only(*FACT_FIELDS, "lead_department__kind")


def project_ids(projects: Iterable[Project]) -> list[Any]:
    return [p.pk for p in projects]


class AnyOf(Lookup):
    """`field__any_of=values`: `field IN (values)`, on PostgreSQL as `field = ANY(%s)` with the
    values bound as ONE array parameter — a batch of 1,000 projects is one parameter, not 1,000
    placeholders that Django prepares and psycopg splices one by one (a third of the client time
    of the facts queries); elsewhere a plain IN list. Registered on foreign keys and UUID fields.

    On PostgreSQL, with more than one value (UUIDs or integers), the values' range is stated too:
    `… = ANY(%s) AND … BETWEEN min AND max`. It changes no answer (every value lies in it); it
    tells the planner how narrow the list is. The verdict refresh reads the projects in key order,
    a batch of 1,000 of 100,000 spanning 1% of the keys: seeing only "one of 1,000 values" the
    planner scanned whole tables (or hashed one side of a join), each batch again, where the range
    makes it read those projects' rows through the index (at 100,000 projects: a batch's
    expenditures 46 → 13 ms, its expert reviews 87 → 21 ms, its documents 57 → 21 ms). Values
    spread over all the keys (a department's projects) give a range of everything and the same
    plan as without it."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        postgresql = connection.vendor == "postgresql"
        uuids = postgresql and all(type(v) is uuid.UUID for v in self.rhs)
        # UUIDs as they are: what the UUID columns' get_db_prep_value gives on PostgreSQL
        values = list(self.rhs) if uuids else [field.get_db_prep_value(v, connection, prepared=False) for v in self.rhs]
        if not values:
            raise EmptyResultSet
        if postgresql:
            uuids = uuids or all(type(v) is uuid.UUID for v in values)  # keys given as text, say
            array: Any = values
            any_of = f"{lhs} = ANY(%s)"
            if uuids:  # one text literal, quoted once by psycopg rather than element by element (half the time)
                array, any_of = "{" + ",".join(map(str, values)) + "}", f"{lhs} = ANY(%s::uuid[])"
            if len(values) > 1 and (uuids or all(type(v) is int for v in values)):
                low, high = min(values), max(values)
                return f"({any_of} AND {lhs} BETWEEN %s AND %s)", (*params, array, *params, low, *params, high)
            return any_of, (*params, array)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*params, *values)


ForeignKey.register_lookup(AnyOf)
UUIDField.register_lookup(AnyOf)


def project_facts_batch(*, projects: Sequence[Project], as_of: dt.date) -> dict[Any, ProjectFacts]:
    """The facts of many projects at once, keyed by project pk: the records whose own dates lie on
    or before `as_of` (domain.md §4). A fixed number of queries per `BATCH_SIZE` projects,
    whatever their number; `project_facts` is the batch of one.

    `horizon` is the earliest date after `as_of` on which one of these dates, now in the future,
    is reached (so the facts, and the verdicts judged on them, may change without any write):
      - projects: a stage event's effective_date;
      - budgets: the estimate's creation (Beijing date), a baseline's approved_on, an adjustment's
        decided_on, filed_on and acknowledgement (Beijing date), an expenditure's spent_on;
      - documents: a document's upload and archiving (Beijing dates);
      - reports: a submission's submitted_at and its return's returned_at (Beijing dates);
      - reviews: a panel's formed_at and concluded_at, the needs analysis' recorded_at (Beijing dates);
      - security: a system's created_at and exception_at (Beijing dates), and on the system the
        filing_date and evaluation_date C6.3 compares with as_of, and the day after its
        migration_target_date (C9.3: overdue once it has passed); a risk assessment's assessed_on;
      - archives: an archive acceptance's accepted_on.
    Deadlines the checks derive from as_of themselves (a report period falling due) are the
    checks' own `Verdict.until`, not part of the horizon."""
    projects = list(projects)
    out: dict[Any, ProjectFacts] = {}
    for start in range(0, len(projects), BATCH_SIZE):
        out.update(_gather(projects[start : start + BATCH_SIZE], as_of))
    return out


# --- the facts of one project, kept against its compliance generation (issue 13) ----------------
#
# The project page gathers one project's facts for its stage gates and, on several tabs, for the
# compliance check (about 20 queries each time). The facts are a function of the project's records
# and of `as_of`; every change of those records bumps the project's compliance generation in the
# same transaction (ADR 0013: the audit listener of the `compliance` app, which registers its reader
# here — it imports `projects`, not the other way). So facts gathered after reading generation G
# are the facts of every later reader that still reads G: kept under (project, generation, the
# project row's version, as_of), they are always right — no time-to-live. Only facts read outside
# a transaction are kept across requests (_outside_transaction; inside one, a rolled-back change
# could have bumped the generation to a number a later change reuses); within one request the
# Project instance keeps its own, so the frame and the tab gather once.

GenerationSource = Callable[[Any], "int | None"]
_generation_sources: list[GenerationSource] = []
CACHE_SIZE = 256  # projects' facts per process (a few kB each)
_cache: OrderedDict[tuple[Any, ...], ProjectFacts] = OrderedDict()
_cache_lock = threading.Lock()


# The number of the last audited change of any project made in this process (audit change
# listener): a Project instance reuses the generation it read while no change was made here since —
# the frame and the tab of one page read it once. A change made by another process meanwhile is as
# if it came after the page.
_change_numbers = itertools.count(1)
_last_change = 0


def project_changed(project_id: str) -> None:
    """The audit listener (registered in ProjectsConfig.ready), inside the change's transaction."""
    global _last_change
    _last_change = next(_change_numbers)


def register_generation_source(source: GenerationSource) -> None:
    """`source(project pk)` → the project's compliance generation (None: unknown, nothing kept)."""
    if source not in _generation_sources:
        _generation_sources.append(source)


def _cache_key(project: Project, as_of: dt.date) -> tuple[Any, ...] | None:
    if not _generation_sources:
        return None
    seen = project.__dict__.get("_facts_generation")
    if seen is not None and seen[0] == _last_change:
        generation = seen[1]
    else:
        mark = _last_change  # before the read: a change made meanwhile makes the next read read again
        generation = _generation_sources[0](project.pk)
        project.__dict__["_facts_generation"] = (mark, generation)
    if generation is None:
        return None
    return (project.pk, generation, project.version, project.lead_department_id, as_of)


def _outside_transaction() -> bool:
    """No transaction of the application's own is open (a test case's wrapping transaction does not
    count, as for Django's durable atomic blocks: nothing inside it rolls back before it ends, and
    the projects it made never come back)."""
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def project_facts(*, project: Project, as_of: dt.date) -> ProjectFacts:
    """The project's records whose own dates lie on or before `as_of` (domain.md §4) — from the
    facts kept against its compliance generation when they are there (one query), else gathered."""
    key = _cache_key(project, as_of)
    if key is None:
        return project_facts_batch(projects=[project], as_of=as_of)[project.pk]
    memo: dict[tuple[Any, ...], ProjectFacts] = project.__dict__.setdefault("_facts_memo", {})
    facts = memo.get(key)
    if facts is not None:
        return facts
    shared = _outside_transaction()
    if shared:
        with _cache_lock:
            facts = _cache.get(key)
            if facts is not None:
                _cache.move_to_end(key)
    if facts is None:
        facts = project_facts_batch(projects=[project], as_of=as_of)[project.pk]
        if shared:
            with _cache_lock:
                _cache[key] = facts
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
    memo.clear()  # one entry: a new generation or date replaces the old one
    memo[key] = facts
    return facts


def _gather(projects: list[Project], as_of: dt.date) -> dict[Any, ProjectFacts]:
    ids = project_ids(projects)
    horizons = Horizons(as_of)
    events: dict[Any, list[StageEventFact]] = defaultdict(list)
    rows = (
        StageEvent.objects.filter(project_id__any_of=ids)
        .order_by("project_id", "seq")
        .values_list("project_id", "action", "from_stage", "to_stage", "effective_date", "approval_reference")
    )
    for pk, action, from_stage, to_stage, effective_date, reference in rows:
        if effective_date <= as_of:
            events[pk].append(StageEventFact(action, from_stage, to_stage, effective_date, reference))
        else:
            horizons.see(pk, effective_date)
    participants: dict[Any, list[str]] = defaultdict(list)
    for pk, kind in (
        Participation.objects.filter(project_id__any_of=ids)
        .order_by("project_id", "department__code")
        .values_list("project_id", "department__kind")
    ):
        participants[pk].append(kind)
    lead_kinds = _lead_department_kinds(projects)
    provided = [provider(projects, as_of) for provider in _providers]
    out: dict[Any, ProjectFacts] = {}
    for project in projects:
        pk = project.pk
        own_events = tuple(events.get(pk, ()))
        fields: dict[str, Any] = {
            "stage": own_events[-1].to_stage if own_events else "draft",
            "lead_department_kind": lead_kinds[project.lead_department_id],
            "participating_department_kinds": tuple(participants.get(pk, ())),
            "joint_central_local": project.joint_central_local,
            "responsible_leader_name": project.responsible_leader_name,
            "responsible_leader_title": project.responsible_leader_title,
            "business_unit": project.business_unit,
            "technical_unit": project.technical_unit,
            "service_outsourcing": project.service_outsourcing,
            "data_hosting": project.data_hosting,
            "events": own_events,
        }
        horizon = horizons.get(pk)
        for by_project in provided:
            values = dict(by_project[pk])
            ahead = values.pop("horizon", None)
            if ahead is not None and (horizon is None or ahead < horizon):
                horizon = ahead
            fields.update(values)
        out[pk] = ProjectFacts(**fields, horizon=horizon)
    return out


def _lead_department_kinds(projects: list[Project]) -> dict[Any, str]:
    """The lead departments' kinds: from the projects' loaded lead_department when the caller
    selected it, else one query."""
    if all(Project.lead_department.is_cached(p) for p in projects):
        return {p.lead_department_id: p.lead_department.kind for p in projects}
    wanted = {p.lead_department_id for p in projects}
    return dict(Department.objects.filter(pk__in=wanted).values_list("pk", "kind"))
