"""Reading the stored verdicts (ADR 0013): `ensure_fresh` first, then read the rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def _stale(today: Any, with_pack: bool) -> Q:
    """Rows not to be served today. Each arm has an index (the partial `verdict_stale`,
    `verdict_valid_until`, `verdict_evaluated_on`: after the clock went back, or --as-of ahead);
    the pack arm is a scan, made once per process."""
    q = ~Q(evaluated_generation=F("generation")) | Q(valid_until__lt=today) | Q(evaluated_on__gt=today)
    if with_pack:
        q |= ~Q(pack_sha256__in=_current_shas())
    return q


def _scope(qs_or_ids: QuerySet[Any] | Iterable[Any] | None) -> Any:
    """None (every project), a subquery of project pks, or a list of them."""
    if qs_or_ids is None:
        return None
    if isinstance(qs_or_ids, QuerySet):
        return qs_or_ids.values("pk") if qs_or_ids.model is Project else qs_or_ids.values("project_id")
    return [getattr(p, "pk", p) for p in qs_or_ids]


def stale_ids(qs_or_ids: QuerySet[Any] | Iterable[Any] | None = None) -> list[Any]:
    """The projects whose stored verdict must not be served today, missing rows included (a project
    made without an audited service, e.g. a bulk seed): two queries."""
    global _pack_checked
    scope = _scope(qs_or_ids)
    with_pack = not _pack_checked
    rows = ProjectVerdict.objects.filter(_stale(clock.today(), with_pack))
    missing = Project.objects.filter(verdict__isnull=True)
    if scope is not None:
        rows, missing = rows.filter(pk__in=scope), missing.filter(pk__in=scope)
    found = set(rows.values_list("pk", flat=True)) | set(missing.values_list("pk", flat=True))
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
