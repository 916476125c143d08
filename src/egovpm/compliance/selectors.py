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
    planner cannot estimate `evaluated_generation <> generation` and scans the table. The pack arm
    is a scan, made once per process."""
    arms = [~Q(evaluated_generation=F("generation")), Q(valid_until__lt=today), Q(evaluated_on__gt=today)]
    if with_pack:
        arms.append(~Q(pack_sha256__in=_current_shas()))
    return arms


def _scope(qs_or_ids: QuerySet[Any] | Iterable[Any] | None) -> Any:
    """None (every project), a subquery of project pks, or a list of them."""
    if qs_or_ids is None:
        return None
    if isinstance(qs_or_ids, QuerySet):
        return qs_or_ids.values("pk") if qs_or_ids.model is Project else qs_or_ids.values("project_id")
    return [getattr(p, "pk", p) for p in qs_or_ids]


def _rows_missing() -> bool:
    """Whether some project has no verdict row (every row has its project: the counts differ). Two
    index-only counts in one query — the anti-join that names the projects costs ten times more."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {q(Project._meta.db_table)}) "  # noqa: S608
            f"- (SELECT count(*) FROM {q(ProjectVerdict._meta.db_table)})"
        )
        (difference,) = cursor.fetchone()
    return bool(difference)


def stale_ids(qs_or_ids: QuerySet[Any] | Iterable[Any] | None = None) -> list[Any]:
    """The projects whose stored verdict must not be served today, missing rows included (a project
    made without an audited service, e.g. a bulk seed): two queries (three when rows are missing)."""
    global _pack_checked
    scope = _scope(qs_or_ids)
    with_pack = not _pack_checked
    arms = [ProjectVerdict.objects.filter(arm).order_by() for arm in _stale(clock.today(), with_pack)]
    missing = Project.objects.filter(verdict__isnull=True).order_by()
    if scope is not None:
        arms, missing = [a.filter(pk__in=scope) for a in arms], missing.filter(pk__in=scope)
    first, *rest = [a.values_list("pk", flat=True) for a in arms]
    found = set(first.union(*rest))
    if scope is not None or _rows_missing():
        found |= set(missing.values_list("pk", flat=True))
    if with_pack and scope is None and not found:
        _pack_checked = True
    return sorted(found, key=str)


def ensure_fresh(qs_or_ids: QuerySet[Any] | Iterable[Any] | None = None) -> int:
    """Refresh every stale verdict (of these projects; None: all); returns how many were refreshed.
    Cheap when nothing is stale: a few indexed queries."""
    stale = stale_ids(qs_or_ids)
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
    return {pk: {"bad": v.bad, "warn": v.warn} for pk, v in verdicts_for(projects).items()}
