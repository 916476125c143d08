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

# Regimes whose stored rows were all checked against the current pack file in this process (the
# packs are loaded once per process: a row with another sha256 can only come from before a deploy).
_pack_checked: set[str] = set()


def _stale(today: Any) -> Q:
    """Rows not to be served today; each arm is answered by an index (the partial `verdict_stale`,
    `verdict_valid_until`); `evaluated_on > today` only after the clock went back (tests, --as-of)."""
    return ~Q(evaluated_generation=F("generation")) | Q(valid_until__lt=today) | Q(evaluated_on__gt=today)


def _scope(qs_or_ids: QuerySet[Any] | Iterable[Any] | None) -> Any:
    """None (every project), a subquery of project pks, or a list of them."""
    if qs_or_ids is None:
        return None
    if isinstance(qs_or_ids, QuerySet):
        return qs_or_ids.values("pk") if qs_or_ids.model is Project else qs_or_ids.values("project_id")
    return [getattr(p, "pk", p) for p in qs_or_ids]


def stale_ids(qs_or_ids: QuerySet[Any] | Iterable[Any] | None = None) -> list[Any]:
    """The projects whose stored verdict must not be served today (missing rows included)."""
    scope = _scope(qs_or_ids)
    rows = ProjectVerdict.objects.filter(_stale(clock.today()))
    missing = Project.objects.filter(verdict__isnull=True)
    if scope is not None:
        rows, missing = rows.filter(pk__in=scope), missing.filter(pk__in=scope)
    found = set(rows.values_list("pk", flat=True)) | set(missing.values_list("pk", flat=True))
    for regime in set(Project.objects.values_list("regime", flat=True).distinct()) - _pack_checked:
        sha = engine.load_pack(regime).sha256
        old = ProjectVerdict.objects.filter(project__regime=regime).exclude(pack_sha256=sha)
        found |= set(old.values_list("pk", flat=True))
        if not old.exists():
            _pack_checked.add(regime)
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
