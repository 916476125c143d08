"""A bounded list and its size in one query: 待办 shows the first rows of each list and says how
many more there are ("…and N more", web.registry.more_line)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Count, Model, QuerySet, Window

M = TypeVar("M", bound=Model)
_TOTAL = "bounded_total_"  # the annotation holding the count (not a field of any model)


def bounded(qs: QuerySet[M], limit: int) -> tuple[list[M], int]:
    """The first `limit` rows of `qs` (ordered by the caller) and the number of rows of `qs`, in one
    query: `COUNT(*) OVER ()` is computed over every matching row before the LIMIT. Not for a
    DISTINCT queryset (the window would count the rows before DISTINCT removes any)."""
    if qs.query.distinct:
        raise ValueError("bounded() counts rows before DISTINCT")
    if qs.query.is_empty():  # .none(): nothing to compile either
        return [], 0
    rows = list(qs.annotate(**{_TOTAL: Window(Count("*"))})[:limit])
    return rows, int(getattr(rows[0], _TOTAL)) if rows else 0
