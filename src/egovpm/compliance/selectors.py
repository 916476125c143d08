"""Reading the stored verdicts (ADR 0013): `ensure_fresh` first, then read the rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet

from egovpm.compliance import services
from egovpm.compliance.models import ProjectVerdict
from egovpm.core import clock
from egovpm.projects.models import Project
from egovpm.rules import engine

# Set once a scan found no row evaluated with another pack than the current ones: the packs are
# read once per process, so such a row can only come from before a deploy (ADR 0013).
_pack_checked = False


def _current_shas() -> list[str]:
    return [engine.load_pack(path.stem).sha256 for path in sorted(engine.PACK_DIR.glob("*.yaml"))]


def _stale(today: Any, with_pack: bool) -> list[Q]:
    """Rows not to be served today, one condition an arm: each is asked on its own (UNION) so that
    PostgreSQL answers it from its index — the partial `verdict_stale`, `verdict_valid_until`,
    `verdict_evaluated_on` (after the clock went back, or --as-of ahead); ORed in one WHERE, the
    planner cannot estimate `evaluated_generation <> generation` and scans the table. The pack arm,
    asked once per process, is "not one of the current digests" written as the ranges between them
    (`< s1`, `> s1 AND < s2`, …, `> sn`), each a range of the index `verdict_pack` that is empty when
    every row is current (`NOT IN` would read the whole table: 60–300 ms at 100,000 projects)."""
    arms = [~Q(evaluated_generation=F("generation")), Q(valid_until__lt=today), Q(evaluated_on__gt=today)]
    if with_pack:
        arms += _outside(sorted(set(_current_shas())))
    return arms


def _outside(values: list[str]) -> list[Q]:
    """pack_sha256 not in `values` (sorted), as one range condition an arm."""
    if not values:
        return [Q(pk__isnull=False)]
    arms = [Q(pack_sha256__lt=values[0])]
    arms += [Q(pack_sha256__gt=low, pack_sha256__lt=high) for low, high in zip(values, values[1:], strict=False)]
    arms.append(Q(pack_sha256__gt=values[-1]))
    return arms


# Set once a check found every project with its verdict row. The row is made with the project
# (compliance/apps.py: post_save on creation; seed-synthetic writes it in its bulk insert; a backup
# carries the table; migration 0001 gave the projects before this app theirs), so a project without
# one can only come from a path that bypassed all of these: looked for once per process.
_rows_checked = False

# Above this many stale rows, a read refreshes only those of its own scope (the rest are not shown;
# the next reader of theirs, or the nightly `refresh-compliance`, refreshes them).
BOUND = 1000


def _rows_missing() -> set[Any]:
    """The projects without a verdict row: two index-only counts first (every row has its project,
    so equal counts mean none is missing), the anti-join only when they differ."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {q(Project._meta.db_table)}) "  # noqa: S608
            f"- (SELECT count(*) FROM {q(ProjectVerdict._meta.db_table)})"
        )
        (difference,) = cursor.fetchone()
    if not difference:
        return set()
    return set(Project.objects.filter(verdict__isnull=True).order_by().values_list("pk", flat=True))


# The staleness query compiled once a day (its only parameter is the date): building it with the
# ORM on every request cost more than the database's answer.
_compiled: dict[tuple[Any, bool, str], tuple[str, tuple[Any, ...]]] = {}


def _stale_query(today: Any, with_pack: bool) -> tuple[str, tuple[Any, ...]]:
    key = (today, with_pack, connection.alias)
    compiled = _compiled.get(key)
    if compiled is None:  # (threads may race here: each compiles the same text)
        rows = ProjectVerdict.objects.order_by()
        first, *rest = [rows.filter(arm).values_list("pk", flat=True) for arm in _stale(today, with_pack)]
        compiled = first.union(*rest).query.sql_with_params()
        if len(_compiled) > 8:  # yesterday's are never asked again
            _compiled.clear()
        _compiled[key] = compiled
    return compiled


def stale_ids(qs_or_ids: QuerySet[Any] | Iterable[Any] | None = None) -> list[Any]:
    """Every project whose stored verdict must not be served today, whatever the scope (a stale row
    outside the caller's scope is harmless to refresh, and the unscoped arms are each answered from
    an index in well under a millisecond when nothing is stale): one query. The scope is accepted
    for the callers' sake and not read. Once per process also the rows evaluated with another pack
    and the projects without a row (both can only predate this process)."""
    global _pack_checked, _rows_checked
    with_pack = not _pack_checked
    sql, params = _stale_query(clock.today(), with_pack)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {ProjectVerdict._meta.pk.to_python(pk) for (pk,) in cursor.fetchall()}
    if not _rows_checked:
        missing = _rows_missing()
        found |= missing
        _rows_checked = not missing
    if with_pack and not found:
        _pack_checked = True
    return sorted(found, key=str)


def _in_scope(stale: list[Any], qs_or_ids: QuerySet[Any] | Iterable[Any] | None) -> list[Any]:
    """The stale projects of the scope (only asked when very many are stale)."""
    if qs_or_ids is None:
        return stale
    if isinstance(qs_or_ids, QuerySet):
        pks = qs_or_ids.values("pk") if qs_or_ids.model is Project else qs_or_ids.values("project_id")
        return list(Project.objects.filter(pk__in=stale).filter(pk__in=pks).values_list("pk", flat=True))
    scope = {getattr(p, "pk", p) for p in qs_or_ids}
    return [pk for pk in stale if pk in scope]


def ensure_fresh(qs_or_ids: QuerySet[Any] | Iterable[Any] | None = None) -> int:
    """Refresh every stale verdict and return how many were refreshed; afterwards the verdicts of
    the scope (these projects; None: all) are fresh. When nothing is stale: one indexed query, the
    scope unread. When more than BOUND are stale (the nightly job did not run), only the scope's
    are refreshed now."""
    stale = stale_ids()
    if len(stale) > BOUND:
        stale = _in_scope(stale, qs_or_ids)
    return services.refresh(project_ids=stale) if stale else 0


def verdicts_for(projects: Iterable[Any]) -> dict[Any, ProjectVerdict]:
    """The stored verdicts of a page of projects, by project pk (one query). Call `ensure_fresh`
    on the same projects first."""
    ids = [getattr(p, "pk", p) for p in projects]
    return {v.pk: v for v in ProjectVerdict.objects.filter(pk__in=ids)}


def list_badges(projects: list[Project]) -> dict[Any, dict[str, int]]:
    """The project list's badges from the stored verdicts: a constant number of queries a page."""
    if not projects:
        return {}
    ensure_fresh(projects)
    verdicts = verdicts_for(projects)
    if len(verdicts) < len(projects):  # a row missing despite the invariant: made now, never a blank
        services.refresh(project_ids=[p.pk for p in projects if p.pk not in verdicts])
        verdicts = verdicts_for(projects)
    return {pk: {"bad": v.bad, "warn": v.warn} for pk, v in verdicts.items()}


def stored_results(verdict: ProjectVerdict, regime: str, language: str = "zh") -> list[engine.Result]:
    """The stored verdict's results as the engine's Results (messages rendered now, in `language`),
    in pack order — what a full evaluation would give for the date the verdict was made fresh."""
    pack = engine.load_pack(regime)
    out = []
    for r in services.expand(verdict.results):
        rule = pack.rule(r["rule"])
        out.append(engine.render(rule, engine.Verdict(r["status"], r["key"], r["args"]), language))
    return out


def is_fresh(verdict: ProjectVerdict, today: Any, pack_sha256: str) -> bool:
    """The freshness of ADR 0013 for one row: computed from the records as they are
    (evaluated_generation = generation), for a date that still holds today (evaluated_on ≤ today ≤
    valid_until, or no valid_until), with the current pack."""
    return (
        verdict.evaluated_generation == verdict.generation
        and verdict.evaluated_on is not None
        and verdict.evaluated_on <= today
        and (verdict.valid_until is None or verdict.valid_until >= today)
        and verdict.pack_sha256 == pack_sha256
    )


def stored_report(project: Project, language: str) -> dict[str, Any] | None:
    """Today's compliance report of one project (what projects.selectors.project_compliance answers
    for today: the same rules in pack order, statuses and messages) from its stored verdict — one
    query when it is fresh; a stale or missing one is refreshed first (this project only). None when
    it could not be had fresh (a change in flight held the row): the caller evaluates in full."""
    today = clock.today()
    pack = engine.load_pack(project.regime)
    verdict = ProjectVerdict.objects.filter(pk=project.pk).first()
    if verdict is None or not is_fresh(verdict, today, pack.sha256):
        services.refresh(project_ids=[project.pk], as_of=today)
        verdict = ProjectVerdict.objects.filter(pk=project.pk).first()
        if verdict is None or not is_fresh(verdict, today, pack.sha256):
            return None
    return {
        "regime": pack.regime,
        "pack_version": pack.version,
        "pack_sha256": pack.sha256,
        "as_of": today.isoformat(),
        "results": stored_results(verdict, project.regime, language),
    }
