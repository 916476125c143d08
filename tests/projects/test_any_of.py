"""`field__any_of=values` (projects.facts.AnyOf): the lookup the facts of a batch of projects are
read with. On PostgreSQL it also states the values' range (for the planner); whatever the values
— every one, a few, the lowest and highest, keys that name nothing — it finds exactly the rows
`__in` finds."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_project
from egovpm.projects.models import Participation, Project

pytestmark = pytest.mark.django_db

STRANGERS = [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1), uuid.UUID("7" * 32)]  # no project's


@pytest.fixture
def portfolio(personas: dict[str, Any], departments: dict[str, Any]) -> list[Any]:
    projects = [make_project(personas["staff_a"]) for _ in range(5)] + [make_project(personas["staff_b"])]
    Participation.objects.create(project=projects[0], department=departments["mob"])
    Participation.objects.create(project=projects[5], department=departments["prov"])
    Participation.objects.create(project=projects[3], department=departments["prov"])
    return sorted((p.pk for p in projects), key=str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_of_finds_what_in_finds(portfolio: list[Any], data: Any) -> None:
    chosen = data.draw(st.lists(st.sampled_from(portfolio + STRANGERS), unique=True))
    if not chosen:  # an empty list finds nothing, as `__in=[]`
        assert not Project.objects.filter(pk__any_of=chosen).exists()
        return
    found = set(Project.objects.filter(pk__any_of=chosen).values_list("pk", flat=True))
    assert found == set(portfolio) & set(chosen)
    by_participation = set(Participation.objects.filter(project_id__any_of=chosen).values_list("pk", flat=True))
    assert by_participation == set(Participation.objects.filter(project_id__in=chosen).values_list("pk", flat=True))
    departments = list(Participation.objects.values_list("department_id", flat=True).distinct())
    wanted = data.draw(st.lists(st.sampled_from([*departments, 0, 10**9]), unique=True, min_size=1))
    assert set(Participation.objects.filter(department_id__any_of=wanted).values_list("pk", flat=True)) == set(
        Participation.objects.filter(department_id__in=wanted).values_list("pk", flat=True)
    )


def test_the_lowest_and_highest_values_are_found(portfolio: list[Any]) -> None:
    """The range is inclusive at both ends: the first and last keys of a batch are in it."""
    ends = [portfolio[0], portfolio[-1]]
    assert set(Project.objects.filter(pk__any_of=ends).values_list("pk", flat=True)) == set(ends)
    assert set(Project.objects.filter(pk__any_of=portfolio).values_list("pk", flat=True)) == set(portfolio)
