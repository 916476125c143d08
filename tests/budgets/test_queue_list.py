"""The 概算调整 queue as a list page (issue 15 item 5): sorted by a column, filtered through the
shared FilterSet, and exported to XLSX with exactly the rows the page shows, within scope."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows
from list_pages import signed_in as login

from .conftest import request

pytestmark = pytest.mark.django_db

QUEUE = reverse("web:budgets_queue")


def numbers_on_page(body: str) -> list[int]:
    section = body.split('id="q-self_pending"', 1)[1].split("</section>", 1)[0]
    return [int(n) for n in re.findall(r'<td class="mono">(\d+)</td>', section)]


def exported(client: Client, params: dict[str, str]) -> list[tuple[Any, ...]]:
    return export_rows(client, QUEUE, {**params, "section": "self_pending"})


@pytest.fixture
def three(built: Any, personas: dict[str, Any]) -> Any:
    """Three self-approval requests of moa's project (the reserve line 03 holds 100 000.00): no. 1
    moves 90 000.00, no. 2 80 000.00, no. 3 70 000.00."""
    for amount in ("10000.00", "20000.00", "30000.00"):
        request(personas["staff_a"], built, {"03": amount})
    return built


def test_sorting_by_a_column_changes_the_order_shown_and_exported(three: Any) -> None:
    leader = login("leader_a")
    assert numbers_on_page(leader.get(QUEUE).content.decode()) == [1, 2, 3]  # the oldest first
    by_moved = leader.get(QUEUE, {"sort": "moved"}).content.decode()
    assert numbers_on_page(by_moved) == [3, 2, 1]
    assert 'aria-sort="ascending"' in by_moved and "sort=-moved" in by_moved  # the header toggles
    assert numbers_on_page(leader.get(QUEUE, {"sort": "-number"}).content.decode()) == [3, 2, 1]
    # The export carries the same order; the header row is in Chinese, amounts exact in yuan.
    rows = exported(leader, {"sort": "moved"})
    assert rows[0][5] == "调整金额（元）"
    assert [str(r[5]) for r in rows[1:]] == ["70000", "80000", "90000"]
    assert [r[3] for r in rows[1:]] == [3, 2, 1]
    assert rows[1][0] == three.name and rows[1][1] == three.code
    # ratios as the screen shows them: percentages rounded up, never the raw ratio (issue 15 item 4)
    assert rows[0][6] == "占概算总投资比例" and [r[6] for r in rows[1:]] == ["7.00%", "8.00%", "9.00%"]


def test_an_unknown_sort_is_ignored_not_an_error(three: Any) -> None:
    leader = login("leader_a")
    for bad in ("password", "project__lead_department__users", "--moved", "-"):
        response = leader.get(QUEUE, {"sort": bad})
        assert response.status_code == 200, bad
        assert numbers_on_page(response.content.decode()) == [1, 2, 3], bad


def test_a_filter_narrows_the_page_and_the_export_alike(three: Any) -> None:
    leader = login("leader_a")
    assert len(exported(leader, {"route": "self_approval"})) == 1 + 3
    narrowed = {"route": "ndrc_approval"}
    assert numbers_on_page(leader.get(QUEUE, narrowed).content.decode()) == []
    assert len(exported(leader, narrowed)) == 1  # the header only
    assert leader.get(QUEUE, {"export": "xlsx", "section": "nonsense"}).status_code == 400


def test_another_departments_rows_never_appear_in_the_export(three: Any) -> None:
    other = login("leader_b")
    assert three.name not in other.get(QUEUE).content.decode()
    assert exported(other, {}) == exported(other, {"sort": "-moved"})
    assert len(exported(other, {})) == 1


def test_a_sorted_queue_costs_the_same_queries_however_many_rows(built: Any, personas: dict[str, Any]) -> None:
    leader = login("leader_a")
    counts = []
    for amount in ("10000.00", "20000.00", "30000.00"):
        request(personas["staff_a"], built, {"03": amount})
        leader.get(QUEUE, {"sort": "-moved"})
        with CaptureQueriesContext(connection) as ctx:
            leader.get(QUEUE, {"sort": "-moved"})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts
