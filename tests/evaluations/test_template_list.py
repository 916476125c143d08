"""The 评价指标体系 list (issue 15 item 5, ADR 0018): sorted by its headers (name, version, added),
paged, read by NDRC and evaluators only; the same queries at 2 versions and at 20."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import signed_in as login

pytestmark = pytest.mark.django_db

QUERIES = 5  # the sorted, filtered page, measured 2026-11 on SQLite; the same at 2 rows and at 20

LIST = reverse("web:evaluation_templates")
TREE = [
    {"name": "运行效率", "weight": "40", "dimension": "efficiency"},
    {"name": "应用效果", "weight": "60", "dimension": "effect"},
]


def add(personas: dict[str, Any], name: str) -> Any:
    from egovpm.evaluations.services import template_add

    return template_add(actor=personas["ndrc"], name=name, indicators=TREE)


def shown(body: str) -> list[tuple[str, str]]:
    """(name, version) of each row, in the order shown."""
    return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>.*?<td>v(\d+)</td>', body, flags=re.S)


def test_sorted_by_each_header_both_ways(personas: dict[str, Any], clock: Any) -> None:
    from egovpm.evaluations.models import EvaluationTemplate

    for name in ("乙 指标", "甲 指标", "乙 指标", "丙 指标"):
        add(personas, name)
    # added on different days, in an order that is neither the name order nor the version order
    for days, (name, version) in enumerate([("乙 指标", 2), ("丙 指标", 1), ("甲 指标", 1), ("乙 指标", 1)]):
        EvaluationTemplate.objects.filter(name=name, version=version).update(
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=days)
        )
    ndrc = login("ndrc")
    by_default = [("丙 指标", "1"), ("乙 指标", "2"), ("乙 指标", "1"), ("甲 指标", "1")]  # name, newest version first
    assert shown(ndrc.get(LIST).content.decode()) == by_default
    assert shown(ndrc.get(LIST, {"sort": "-name"}).content.decode()) == [
        ("甲 指标", "1"),
        ("乙 指标", "2"),  # equal names keep the default order: the newest version first
        ("乙 指标", "1"),
        ("丙 指标", "1"),
    ]
    assert [v for _n, v in shown(ndrc.get(LIST, {"sort": "-version"}).content.decode())][0] == "2"
    body = ndrc.get(LIST, {"sort": "added"}).content.decode()
    assert shown(body) == [("乙 指标", "2"), ("丙 指标", "1"), ("甲 指标", "1"), ("乙 指标", "1")]
    assert 'aria-sort="ascending"' in body and "sort=-added" in body
    assert ndrc.get(LIST, {"sort": "tree"}).status_code == 200


def test_pages_keep_the_sort_and_readers_only(personas: dict[str, Any]) -> None:
    for i in range(23):
        add(personas, f"模板{i:02d}")
    ndrc = login("ndrc")
    first = ndrc.get(LIST, {"sort": "-name"}).content.decode()
    second = ndrc.get(LIST, {"sort": "-name", "page": "2"}).content.decode()
    names = [n for n, _v in shown(first) + shown(second)]
    assert names == [f"模板{i:02d}" for i in range(22, -1, -1)]
    assert "sort=-name&amp;page=2" in first
    assert login("staff_a").get(LIST).status_code == 403


def test_the_sorted_page_costs_the_same_queries_at_2_versions_and_at_20(personas: dict[str, Any]) -> None:
    ndrc = login("ndrc")
    counts = []
    for n in (2, 20):
        while len(shown(ndrc.get(LIST).content.decode())) < n:
            add(personas, "同名模板")  # each a new version
        ndrc.get(LIST, {"sort": "-version"})
        with CaptureQueriesContext(connection) as ctx:
            assert len(shown(ndrc.get(LIST, {"sort": "-version"}).content.decode())) == n
        counts.append(len(ctx.captured_queries))
    assert counts == [QUERIES, QUERIES], counts
