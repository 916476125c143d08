"""Keeping the stored verdicts right (ADR 0013).

- `project_changed` (registered with audit): in the transaction of every audited change of a
  project, bump its `generation` (creating the row when missing); after commit, refresh it (best
  effort). The invalidation commits or rolls back with the change, so a stored verdict is never
  served for records it was not computed from.
- `refresh`: evaluate many projects in batches and write each verdict with the generation its
  facts were read under. The rows are locked to be written (skipping a row a change in flight
  holds: that change's own refresh writes it); a row whose generation moved since the facts were
  read is evaluated again under the lock."""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field
from django.db.models.options import Options

from egovpm.compliance.models import ProjectVerdict, RuleFailure
from egovpm.core import clock
from egovpm.core.bulk import execute_binary, insert_rows
from egovpm.projects.facts import for_facts, project_facts_batch
from egovpm.projects.models import Project
from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000  # projects a batch (500: more round trips; 2,000: the same client CPU, longer-held locks)
BAD_SEVERITIES = frozenset({"gate", "violation"})

# fn(facts_by_pk, as_of, pks): called inside the write transaction of a refresh with the projects
# whose verdict rows were just written (reports rebuilds its stored obligations from the same facts).
RefreshHook = Callable[[dict[Any, ProjectFacts], dt.date, list[Any]], None]
_refresh_hooks: list[RefreshHook] = []


def _column(meta: Options[Any], name: str) -> str:
    """The quoted database column of a concrete field (the raw statements below are built from
    the models' own columns)."""
    return str(connection.ops.quote_name(str(cast("Field[Any, Any]", meta.get_field(name)).column)))


def register_refresh_hook(hook: RefreshHook) -> None:
    if hook not in _refresh_hooks:
        _refresh_hooks.append(hook)


# --- invalidation ----------------------------------------------------------------------------------


def _upsert(pk: uuid.UUID, on_conflict: str) -> None:
    """INSERT a never-evaluated row (generation 1) for the project, `on_conflict` what to do when it
    has one: one statement, safe when two transactions make the row at once (ON CONFLICT;
    PostgreSQL and SQLite ≥ 3.24)."""
    meta = ProjectVerdict._meta
    q = connection.ops.quote_name

    def col(name: str) -> str:
        return _column(meta, name)

    table, key = q(meta.db_table), col("project")
    gen, ev = col("generation"), col("evaluated_generation")
    defaults = ", ".join(col(f) for f in ("pack_version", "pack_sha256", "health", "bad", "warn", "results"))
    value = meta.pk.get_db_prep_value(pk, connection)
    action = on_conflict.format(gen=f"{table}.{gen}", set_gen=gen)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {gen}, {ev}, {defaults}) VALUES (%s, 1, 0, '', '', '', 0, 0, '[]') "  # noqa: S608
            f"ON CONFLICT ({key}) {action}",
            [value],
        )


def _bump(pk: uuid.UUID) -> None:
    """generation + 1, or a new row (generation 1, never evaluated)."""
    _upsert(pk, "DO UPDATE SET {set_gen} = {gen} + 1")


def project_created(sender: Any, instance: Project, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """post_save of Project: a new project gets its (stale) verdict row in the transaction that
    creates it, whatever the path — so "every project has a row" holds by construction and no read
    has to look for missing rows (ADR 0013). Not on a fixture load (raw): the rows come with it."""
    if created and not raw:
        _upsert(instance.pk, "DO NOTHING")


class _RefreshAfterCommit:
    """The projects changed in the current transaction, refreshed once it commits."""

    def __init__(self) -> None:
        self.pks: set[uuid.UUID] = set()

    def __call__(self) -> None:
        try:
            refresh(project_ids=sorted(self.pks, key=str))
        except Exception:  # best effort: the rows stay stale and are refreshed at the next read
            logger.exception("refreshing the verdicts of %d changed project(s) failed", len(self.pks))


def _schedule_refresh(pk: uuid.UUID) -> None:
    pending = getattr(connection, "_egovpm_verdict_refresh", None)
    registered = [entry[1] for entry in connection.run_on_commit]  # (savepoints, callback, robust)
    if pending is None or not any(cb is pending for cb in registered):
        pending = _RefreshAfterCommit()
        # one pending refresh per connection and transaction, kept on the connection object itself
        connection._egovpm_verdict_refresh = pending  # type: ignore[attr-defined]
        transaction.on_commit(pending)
    pending.pks.add(pk)


def project_changed(project_id: str) -> None:
    """The audit listener: called inside the transaction of an audited change of the project."""
    try:
        pk = uuid.UUID(str(project_id))
    except ValueError:
        return
    _bump(pk)
    if connection.in_atomic_block:
        _schedule_refresh(pk)


# --- evaluation ------------------------------------------------------------------------------------


_PLAIN = frozenset({str, int, bool, type(None)})


def _json_safe_args(args: Any) -> dict[str, Any]:
    """`_json_safe(dict(args))`, with the common values (strings, numbers) taken as they are."""
    return {(k if type(k) is str else str(k)): (v if type(v) in _PLAIN else _json_safe(v)) for k, v in args.items()}


def _json_safe(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
    if isinstance(value, dt.date | Decimal | uuid.UUID):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    return value


def compact(rule: str, status: str, key: str, args: dict[str, Any]) -> list[Any]:
    """One rule's stored result: [rule, status, key?, args?] — the key only when it is not the
    status, the args only when there are any. Rows stay under PostgreSQL's 2 kB TOAST threshold
    (the verbose form, 2.4 kB on average, made the write three times slower)."""
    entry: list[Any] = [rule, status]
    if key != status:
        entry.append(key)
    if args:
        entry.append(args)
    return entry


def expand(results: list[list[Any]]) -> list[dict[str, Any]]:
    """The stored results as {"rule", "status", "key", "args"} (render with engine.render)."""
    out = []
    for rule, status, *rest in results:
        key = rest[0] if rest and isinstance(rest[0], str) else status
        args = rest[-1] if rest and isinstance(rest[-1], dict) else {}
        out.append({"rule": rule, "status": status, "key": key, "args": args})
    return out


@dataclass(frozen=True)
class Evaluation:
    """What a refresh stores for one project."""

    results: list[list[Any]]  # compact(...) of every rule, in pack order
    failures: list[tuple[str, str, str, str]]  # (rule, clause, severity, status)
    health: str
    bad: int
    warn: int
    valid_until: dt.date | None


def counts(statuses: Iterable[tuple[str, str]]) -> tuple[str, int, int]:
    """(health, bad, warn) of (status, severity) pairs (domain.md §13, the list badges).

    bad: an error (fail-closed, any severity) or a failed gate/violation rule; warn: a failed
    warning/info rule. red when anything is bad, amber when only warnings fail, green otherwise;
    not_applicable never fails."""
    bad = warn = 0
    for status, severity in statuses:
        if status == "error" or (status == "fail" and severity in BAD_SEVERITIES):
            bad += 1
        elif status == "fail":
            warn += 1
    return ("red" if bad else "amber" if warn else "green"), bad, warn


def evaluation(pack: engine.Pack, facts: ProjectFacts, as_of: dt.date) -> Evaluation:
    """Judge every rule (no message formatted) and gather what is stored, in one pass over them."""
    results: list[list[Any]] = []
    failures: list[tuple[str, str, str, str]] = []
    limit = facts.horizon - dt.timedelta(days=1) if facts.horizon is not None else None
    blocking = engine.BLOCKING
    for r, status, key, args, until in engine.judgements(pack, facts, Context(as_of=as_of)):
        results.append(compact(r.id, status, key, _json_safe_args(args) if args else {}))
        if status in blocking:
            failures.append((r.id, r.clause, r.severity, status))
        if until is not None and (limit is None or until < limit):
            limit = until
    health, bad, warn = counts((status, severity) for _rule, _clause, severity, status in failures)
    return Evaluation(results=results, failures=failures, health=health, bad=bad, warn=warn, valid_until=limit)


# --- refresh ---------------------------------------------------------------------------------------

_WRITTEN = (
    "evaluated_generation",
    "evaluated_on",
    "valid_until",
    "pack_version",
    "pack_sha256",
    "health",
    "bad",
    "warn",
    "results",
    "refreshed_at",
)


# PostgreSQL array types of the written columns (results travel as text and become jsonb)
_PG_TYPES = {
    "evaluated_generation": "bigint",
    "evaluated_on": "date",
    "valid_until": "date",
    "pack_version": "varchar",
    "pack_sha256": "varchar",
    "health": "varchar",
    "bad": "integer",
    "warn": "integer",
    "results": "text",
    "refreshed_at": "timestamptz",
}


def _write_rows(rows: list[ProjectVerdict]) -> None:
    """Write the evaluated columns of `rows` (locked by the caller). PostgreSQL: one UPDATE … FROM
    unnest(one array a column) a batch — eleven parameters whatever the rows (Django's bulk_update,
    a CASE WHEN per column and row, cost 15 ms a row)."""
    if connection.vendor != "postgresql":
        ProjectVerdict.objects.bulk_update(rows, _WRITTEN, batch_size=BATCH_SIZE)
        return
    meta = ProjectVerdict._meta
    q = connection.ops.quote_name

    def col(name: str) -> str:
        return _column(meta, name)

    arrays: list[list[Any]] = [[row.pk for row in rows]]
    for name in _WRITTEN:
        values = [getattr(row, name) for row in rows]
        arrays.append([json.dumps(v, ensure_ascii=False) for v in values] if name == "results" else values)
    types = ", ".join(["%b::uuid[]"] + [f"%b::{_PG_TYPES[name]}[]" for name in _WRITTEN])
    names = ", ".join(["pk"] + [f"c_{name}" for name in _WRITTEN])
    sets = ", ".join(f"{col(name)} = v.c_{name}" + ("::jsonb" if name == "results" else "") for name in _WRITTEN)
    execute_binary(
        f"UPDATE {q(meta.db_table)} AS t SET {sets} FROM unnest({types}) AS v({names}) "  # noqa: S608
        f"WHERE t.{col('project')} = v.pk",
        arrays,
    )


def _replace_failures(pks: list[Any], failures: list[tuple[Any, str, str, str, str]]) -> None:
    """The failing rules of `pks` become `failures` (project, rule, clause, severity, status). On
    PostgreSQL a DELETE … = ANY(array) and one INSERT … SELECT FROM unnest(arrays), no model
    instances (building them cost more than both statements)."""
    if connection.vendor != "postgresql":
        RuleFailure.objects.filter(project_id__in=pks).delete()
    else:
        table = connection.ops.quote_name(RuleFailure._meta.db_table)
        project = _column(RuleFailure._meta, "project")
        execute_binary(f"DELETE FROM {table} WHERE {project} = ANY(%b::uuid[])", [pks])  # noqa: S608
    insert_rows(RuleFailure, ("project_id", "rule", "clause", "severity", "status"), failures)


def _ensure_rows(project_ids: Sequence[Any] | None) -> None:
    """A stale row for every project that has none (a project created before this app, or by a
    path that did not audit it)."""
    projects = Project.objects.filter(verdict__isnull=True)
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
    missing = list(projects.values_list("pk", flat=True))
    if missing:
        ProjectVerdict.objects.bulk_create(
            [ProjectVerdict(project_id=pk) for pk in missing], ignore_conflicts=True, batch_size=BATCH_SIZE
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch runs: the batch holds a thousand projects'
    facts alive, and every automatic collection walked them all again (a third of the client's CPU
    time). Nothing a batch makes needs the collector: its cycles, if any, go at the next
    collection after it. Left on when the caller had it on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _refresh_batch(pks: Sequence[Any], as_of: dt.date) -> int:
    with _collector_paused():
        return _refresh_batch_now(pks, as_of)


def _evaluate(
    read: dict[Any, int], as_of: dt.date
) -> tuple[dict[Any, tuple[ProjectVerdict, Evaluation]], dict[Any, ProjectFacts]]:
    """The verdict rows of the projects in `read` (pk → the generation their facts are read under)."""
    projects = list(for_facts(Project.objects.filter(pk__any_of=list(read)).order_by()))
    facts = project_facts_batch(projects=projects, as_of=as_of)
    now = clock.now()
    rows: dict[Any, tuple[ProjectVerdict, Evaluation]] = {}
    for p in projects:
        pack = engine.load_pack(p.regime)
        ev = evaluation(pack, facts[p.pk], as_of)
        g = read[p.pk]
        row = ProjectVerdict(
            project_id=p.pk,
            generation=g,
            evaluated_generation=g,
            evaluated_on=as_of,
            valid_until=ev.valid_until,
            pack_version=pack.version,
            pack_sha256=pack.sha256,
            health=ev.health,
            bad=ev.bad,
            warn=ev.warn,
            results=ev.results,
            refreshed_at=now,
        )
        rows[p.pk] = (row, ev)
    return rows, facts


def _refresh_batch_now(pks: Sequence[Any], as_of: dt.date) -> int:
    read = dict(ProjectVerdict.objects.filter(pk__any_of=pks).values_list("pk", "generation"))
    rows, facts = _evaluate(read, as_of)
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction and connection.vendor == "postgresql":
            # Derived data (rebuilt by any refresh): its own commit need not wait for the WAL flush
            # (never set inside a caller's transaction, whose records must be durable). A crash may
            # lose the last batches' writes, never a later change's bump (the WAL is replayed in
            # order): those rows stay stale, and are refreshed again.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # Lock the rows, skipping any a change holds right now (it bumps the generation: the row
        # stays stale, and that change's own refresh after its commit writes it).
        locked = ProjectVerdict.objects.select_for_update(skip_locked=True).filter(pk__any_of=list(rows))
        current = dict(locked.values_list("pk", "generation"))
        moved = {pk: g for pk, g in current.items() if g != read[pk]}
        if moved:
            # Changed since the facts were read, by a change now committed. The rows are ours until
            # we commit: no change can bump them meanwhile, and every change committed before the
            # lock is visible to a new read. Read those projects' facts again; do not leave them
            # stale — the change's own refresh may have skipped them while this one held the lock.
            again, again_facts = _evaluate(moved, as_of)
            rows.update(again)
            facts.update(again_facts)
        written = [pk for pk, g in current.items() if pk in rows and rows[pk][0].generation == g]
        if not written:
            return 0
        _write_rows([rows[pk][0] for pk in written])
        _replace_failures(written, [(pk, *failure) for pk in written for failure in rows[pk][1].failures])
        for hook in _refresh_hooks:
            hook({pk: facts[pk] for pk in written}, as_of, written)
    return len(written)


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def refresh(*, project_ids: Iterable[Any] | None = None, as_of: dt.date | None = None) -> int:
    """Evaluate `project_ids` (None: every project) as of `as_of` (default today) and store the
    verdicts; returns how many were written (a project a change in flight holds is left stale)."""
    as_of = as_of or clock.today()
    if project_ids is None:
        _ensure_rows(None)
        pks: Sequence[Any] = list(ProjectVerdict.objects.order_by("pk").values_list("pk", flat=True))
    else:
        pks = sorted(set(project_ids), key=str)
        for chunk in _chunks(pks, 5000):  # a bounded IN list whatever the number of projects
            _ensure_rows(chunk)
    return sum(_refresh_batch(chunk, as_of) for chunk in _chunks(pks, BATCH_SIZE))
