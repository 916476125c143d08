"""NDRC's 待办 of panels ready to conclude (reviews.selectors.ndrc_todo_bounded) counts its rows
with "as many members as members with an opinion" and reads them with "no silent member": the
two must select the same panels in every state — every opinion in, one missing, no member at
all, an opinion of someone off the panel — and the count must be the rows' number whatever the
bound."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from egovpm.projects.models import Project
from egovpm.reviews import selectors
from egovpm.reviews.models import ExpertReview, Opinion, PanelMember

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)

# (experts on the panel, experts who gave an opinion) -> ready to conclude?
STATES = [
    (("ex.a", "ex.b", "ex.c"), ("ex.a", "ex.b", "ex.c"), True),
    (("ex.a", "ex.b", "ex.c"), ("ex.a", "ex.b"), False),
    ((), (), True),  # nobody silent
    (("ex.a", "ex.b"), ("ex.a", "ex.d"), False),  # ex.d is off the panel; ex.b is silent
    (("ex.c",), ("ex.c",), True),
    (("ex.a", "ex.b"), ("ex.a", "ex.b", "ex.d"), True),
]


def _panel(project: Project, ndrc: Any, pool: dict[str, Any], i: int, members: tuple, given: tuple) -> ExpertReview:
    review = ExpertReview.objects.create(
        project=project,
        status="open",
        formed_by="named",
        formed_at=AT,
        organised_by=ndrc,
        due_on=dt.date(2026, 12, 1) + dt.timedelta(days=i % 3),
    )
    for position, username in enumerate(members):
        PanelMember.objects.create(review=review, expert=pool[username], position=position)
    for username in given:
        Opinion.objects.create(
            review=review, expert=pool[username], recommendation="approve", text="同意", given_at=AT, updated_at=AT
        )
    return review


def test_the_count_and_the_rows_select_the_same_panels(
    na_project: Any, pool: dict[str, Any], personas: dict[str, Any]
) -> None:
    ndrc = personas["ndrc"]
    ready = set()
    for i, (members, given, is_ready) in enumerate(STATES):
        project = Project.objects.get(pk=na_project.pk)
        project.pk, project.code = uuid.uuid4(), f"{na_project.code[:-3]}{900 + i}"
        project.save(force_insert=True)
        review = _panel(project, ndrc, pool, i, members, given)
        if is_ready:
            ready.add(review.pk)
    every = list(selectors.ndrc_todo(user=ndrc))
    assert {r.pk for r in every} == ready
    for limit in (1, 2, len(ready), 20):
        rows, count = selectors.ndrc_todo_bounded(user=ndrc, limit=limit)
        assert count == len(ready)
        assert [r.pk for r in rows] == [r.pk for r in every[:limit]]
    assert selectors.ndrc_todo_bounded(user=personas["staff_a"], limit=20) == ([], 0)
