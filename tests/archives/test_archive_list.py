"""The 档案 list (issue 15 item 5): sorted by a column, filtered through its FilterSet
(archives/filters.py), exported to XLSX with exactly the rows of the filter, within scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows
from list_pages import signed_in as login

pytestmark = pytest.mark.django_db

ARCHIVES = reverse("web:archives")


def exported(client: Client, params: dict[str, str]) -> list[tuple[Any, ...]]:
    return export_rows(client, ARCHIVES, params)


@pytest.fixture
def named(project: Any) -> list[Any]:
    """moa's projects named so that the name order differs from the default (newest change first)."""
    from egovpm.projects.models import Project

    project.name = "乙 系统"
    project.save(update_fields=["name"])
    clone = Project.objects.get(pk=project.pk)
    clone.pk = None
    clone.code = project.code[:-1] + "9"
    clone.name = '甲 =HYPERLINK("x")'
    clone.save()
    return [project, clone]


def positions(body: str, names: list[str]) -> list[int]:
    return [body.index(n) for n in names]


def test_sort_filter_and_export_follow_the_page(named: list[Any]) -> None:
    staff = login("staff_a")
    a, b = (p.name for p in named)
    asc = staff.get(ARCHIVES, {"sort": "project"}).content.decode()
    desc = staff.get(ARCHIVES, {"sort": "-project"}).content.decode()
    pa, pb = positions(asc, [a, b.replace('"', "&quot;")])
    qa, qb = positions(desc, [a, b.replace('"', "&quot;")])
    assert (pa < pb) != (qa < qb)  # the header's sort reverses the order a user sees
    assert staff.get(ARCHIVES, {"sort": "nonsense"}).status_code == 200

    rows = exported(staff, {"sort": "project"})
    names = [r[0] for r in rows[1:]]
    assert set(names) >= {a, b} and names == sorted(names)
    assert b in names  # the formula-like name is kept as text, not a formula
    narrowed = exported(staff, {"q": "乙"})
    assert [r[0] for r in narrowed[1:]] == [a]
    assert a in staff.get(ARCHIVES, {"q": "乙"}).content.decode()
    assert "甲 =HYPERLINK" not in staff.get(ARCHIVES, {"q": "乙"}).content.decode()
    assert staff.get(ARCHIVES, {"stage": "nonsense"}).status_code == 400


def test_another_departments_projects_are_absent_from_page_and_export(named: list[Any]) -> None:
    other = login("staff_b")
    body = other.get(ARCHIVES).content.decode()
    assert named[0].name not in body
    assert all(r[1] not in {p.code for p in named} for r in exported(other, {})[1:])


def test_the_sorted_list_costs_the_same_queries_with_more_rows(named: list[Any]) -> None:
    from egovpm.projects.models import Project

    staff = login("staff_a")
    counts = []
    for i in range(2):
        extra = Project.objects.get(pk=named[0].pk)
        extra.pk = None
        extra.code = named[0].code[:-1] + str(i + 5)
        extra.save()
        staff.get(ARCHIVES, {"sort": "-project"})
        with CaptureQueriesContext(connection) as ctx:
            staff.get(ARCHIVES, {"sort": "-project"})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
