"""core.bounded: 待办's first rows of a list and how many there are, in one query — the same rows
and the same count as a slice and a COUNT, below, at and above the limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_project
from egovpm.core.bounded import bounded

pytestmark = pytest.mark.django_db


def test_rows_and_count_in_one_query(personas: Any) -> None:
    staff = personas["staff_a"]
    from egovpm.projects.models import Project

    for i in range(5):
        make_project(staff, name=f"项目{i}")
    qs = Project.objects.order_by("name")
    for limit in (1, 4, 5, 6, 20):
        with CaptureQueriesContext(connection) as ctx:
            rows, count = bounded(qs, limit)
        assert len(ctx.captured_queries) == 1
        assert [p.pk for p in rows] == [p.pk for p in qs[:limit]]
        assert count == qs.count() == 5
    rows, count = bounded(qs.filter(name="项目3"), 2)
    assert ([p.name for p in rows], count) == (["项目3"], 1)


def test_nothing_without_a_query(personas: Any) -> None:
    staff = personas["staff_a"]
    from egovpm.projects.models import Project

    make_project(staff)
    with CaptureQueriesContext(connection) as ctx:
        assert bounded(Project.objects.none(), 20) == ([], 0)
    assert not ctx.captured_queries
    assert bounded(Project.objects.filter(name="none such"), 20) == ([], 0)


def test_distinct_is_refused() -> None:
    from egovpm.projects.models import Project

    with pytest.raises(ValueError, match="DISTINCT"):
        bounded(Project.objects.distinct(), 20)
