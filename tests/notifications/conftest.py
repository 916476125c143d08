"""Fixtures of the notifications tests: a project in needs analysis and an expert pool (shared with
the reviews tests), and e-mail addresses for the personas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import PASSWORD, ready_for


@pytest.fixture
def na_project(project: Any, personas: dict[str, Any]) -> Any:
    from egovpm.projects.services import project_transition

    day = dt.date(2026, 11, 2)
    ready_for(project, "submit_needs_analysis", day)
    return project_transition(
        actor=personas["staff_a"], project_id=project.pk, action="submit_needs_analysis", effective_date=day
    )


@pytest.fixture
def experts(personas: dict[str, Any]) -> dict[str, Any]:
    from egovpm.accounts.services import user_add
    from egovpm.reviews.services import expert_profile_set

    users = {}
    for username in ("ex.a", "ex.b", "ex.c"):
        users[username] = user_add(
            actor=None, username=username, department_code="agency", roles=["expert"], password=PASSWORD
        )
        users[username].email = f"{username}@example.invalid"
        users[username].save(update_fields=["email"])
        expert_profile_set(actor=personas["ndrc"], username=username, specialties=["gov_apps"], title="研究员")
    return users


@pytest.fixture
def emails(personas: dict[str, Any]) -> dict[str, Any]:
    for name in ("staff_a", "leader_a", "ndrc"):
        personas[name].email = f"{name}@example.invalid"
        personas[name].save(update_fields=["email"])
    return personas


def form_panel(api: Any, project: Any, due: str = "2026-12-01") -> Any:
    r = api("ndrc").post(
        f"/api/v1/projects/{project.pk}/expert-reviews",
        {"experts": ["ex.a", "ex.b", "ex.c"], "due_on": due},
        format="json",
    )
    assert r.status_code == 201, r.content
    return r.json()
