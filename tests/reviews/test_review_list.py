"""The 专家评议 list (issue 15 item 5): sorted by a column, filtered by the shared ReviewFilter,
exported to XLSX with exactly the page's filter and order, within scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows, signed_in

pytestmark = pytest.mark.django_db

LIST = reverse("web:review_list")
BJ = dt.timezone(dt.timedelta(hours=8))


def review(project: Any, ndrc: Any, number: int, formed: dt.date, due: dt.date, concluded: bool) -> Any:
    from egovpm.reviews.models import ExpertReview

    at = dt.datetime.combine(formed, dt.time(10), tzinfo=BJ)
    return ExpertReview.objects.create(
        project=project,
        number=number,
        formed_by="named",
        formed_at=at,
        organised_by=ndrc,
        due_on=due,
        status="concluded" if concluded else "open",
        conclusion="approve" if concluded else "",
        concluded_at=at + dt.timedelta(days=30) if concluded else None,
    )


@pytest.fixture
def two(na_project: Any, personas: dict[str, Any]) -> list[Any]:
    """An older concluded panel due late and a newer open one due early."""
    ndrc = personas["ndrc"]
    return [
        review(na_project, ndrc, 1, dt.date(2026, 1, 5), dt.date(2026, 3, 1), concluded=True),
        review(na_project, ndrc, 2, dt.date(2026, 2, 5), dt.date(2026, 2, 15), concluded=False),
    ]


def order_on_page(body: str, reviews: list[Any]) -> list[int]:
    found = sorted(
        (body.index(reverse("web:review_detail", args=[r.pk])), r.number) for r in reviews if str(r.pk) in body
    )
    return [n for _, n in found]


def formed_in_export(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [r[2].date() if hasattr(r[2], "date") else r[2] for r in rows[1:]]


def test_sort_changes_the_order_on_the_page_and_in_the_export(two: list[Any]) -> None:
    ndrc = signed_in("ndrc")
    assert order_on_page(ndrc.get(LIST).content.decode(), two) == [2, 1]  # newest panel first
    assert order_on_page(ndrc.get(LIST, {"sort": "formed"}).content.decode(), two) == [1, 2]
    assert order_on_page(ndrc.get(LIST, {"sort": "due"}).content.decode(), two) == [2, 1]
    assert order_on_page(ndrc.get(LIST, {"sort": "-due"}).content.decode(), two) == [1, 2]
    assert order_on_page(ndrc.get(LIST, {"sort": "organised_by__password"}).content.decode(), two) == [2, 1]
    assert formed_in_export(export_rows(ndrc, LIST, {"sort": "formed"})) == [dt.date(2026, 1, 5), dt.date(2026, 2, 5)]
    assert formed_in_export(export_rows(ndrc, LIST, {"sort": "-due"})) == [dt.date(2026, 1, 5), dt.date(2026, 2, 5)]


def test_the_status_filter_narrows_page_and_export(two: list[Any]) -> None:
    ndrc = signed_in("ndrc")
    assert order_on_page(ndrc.get(LIST, {"status": "open"}).content.decode(), two) == [2]
    assert formed_in_export(export_rows(ndrc, LIST, {"status": "open"})) == [dt.date(2026, 2, 5)]
    assert ndrc.get(LIST, {"status": "nonsense", "export": "xlsx"}).status_code == 400


def test_another_departments_reviews_are_absent_from_page_and_export(two: list[Any]) -> None:
    other = signed_in("staff_b")
    assert order_on_page(other.get(LIST).content.decode(), two) == []
    assert export_rows(other, LIST, {})[1:] == []


def test_a_sorted_list_costs_the_same_queries_with_more_rows(na_project: Any, personas: dict[str, Any]) -> None:
    ndrc = signed_in("ndrc")
    counts = []
    for n in (1, 2):
        review(na_project, personas["ndrc"], n, dt.date(2026, 1, n), dt.date(2026, 3, n), concluded=True)
        ndrc.get(LIST, {"sort": "-due"})
        with CaptureQueriesContext(connection) as ctx:
            ndrc.get(LIST, {"sort": "-due"})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
