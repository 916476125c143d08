"""A bounded list and its size in one query: 待办 shows the first rows of each list and says how
many more there are ("…and N more", web.registry.more_line)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Count, IntegerField, Model, QuerySet, Subquery, Value

M = TypeVar("M", bound=Model)
_TOTAL = "bounded_total_"  # the annotation holding the count (not a field of any model)


def bounded(qs: QuerySet[M], limit: int, offset: int = 0) -> tuple[list[M], int]:
    """The first `limit` rows of `qs` (ordered by the caller) from `offset` and the number of rows
    of `qs`, in one query (a page of a list and its pager's count; 0 when no row is read, which past
    the end does not mean that `qs` is empty): the count is an uncorrelated scalar subquery
    (`SELECT COUNT(*) … WHERE` the same conditions), which PostgreSQL plans and runs once on its
    own, as it would a separate COUNT — not `COUNT(*) OVER ()`, which makes it read and sort every
    matching row before the LIMIT (460 ms instead of 2 ms for NDRC's reports to acknowledge at
    20,000 projects). Not for a DISTINCT queryset."""
    if qs.query.distinct:
        raise ValueError("bounded() does not count DISTINCT rows")
    if qs.query.is_empty():  # .none(): nothing to compile either
        return [], 0
    # a constant to group by, which Django leaves out of GROUP BY: one row, COUNT(*) of them all
    count = qs.order_by().select_related(None).annotate(bounded_all_=Value(1)).values("bounded_all_")
    count = count.annotate(n=Count("*")).values("n")
    rows = list(qs.annotate(**{_TOTAL: Subquery(count, output_field=IntegerField())})[offset : offset + limit])
    return rows, int(getattr(rows[0], _TOTAL)) if rows else 0
