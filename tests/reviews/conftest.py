"""Fixtures of the reviews tests: an expert pool (agency experts, plus experts working for the lead
and for the participating department, who are in a conflict of interest) and a project in needs
analysis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import PASSWORD, ready_for

# username, department, specialties
POOL = [
    ("ex.a", "agency", ["gov_apps"]),
    ("ex.b", "agency", ["gov_apps", "data_resources"]),
    ("ex.c", "agency", ["network_security"]),
    ("ex.d", "agency", ["investment", "gov_apps"]),
    ("ex.e", "mob", ["gov_apps"]),  # another ministry: no conflict with moa's project
    ("ex.lead", "moa", ["gov_apps"]),  # works for the lead department
    ("ex.part", "prov", ["gov_apps"]),  # works for the participating department
]


@pytest.fixture
def pool(personas: dict[str, Any]) -> dict[str, Any]:
    from egovpm.accounts.services import user_add
    from egovpm.reviews.services import expert_profile_set

    users = {}
    for username, department, specialties in POOL:
        users[username] = user_add(
            actor=None, username=username, department_code=department, roles=["expert"], password=PASSWORD
        )
        expert_profile_set(actor=personas["ndrc"], username=username, specialties=specialties, title="研究员")
    return users


@pytest.fixture
def na_project(project: Any, personas: dict[str, Any]) -> Any:
    """The shared draft project (moa leads, prov participates) moved into needs analysis."""
    from egovpm.projects.services import project_transition

    day = dt.date(2026, 11, 2)
    ready_for(project, "submit_needs_analysis", day)
    return project_transition(
        actor=personas["staff_a"], project_id=project.pk, action="submit_needs_analysis", effective_date=day
    )


def form(api: Any, project: Any, **body: Any) -> Any:
    return api("ndrc").post(f"/api/v1/projects/{project.pk}/expert-reviews", body, format="json")


def opinion(api: Any, persona: str, review_id: str, recommendation: str = "approve", text: str = "同意") -> Any:
    return api(persona).post(
        f"/api/v1/expert-reviews/{review_id}/opinions", {"recommendation": recommendation, "text": text}, format="json"
    )


def conclude(api: Any, review_id: str, conclusion: str = "approve", text: str = "专家组同意") -> Any:
    return api("ndrc").post(
        f"/api/v1/expert-reviews/{review_id}/conclude", {"conclusion": conclusion, "text": text}, format="json"
    )


@pytest.fixture
def as_user(db: Any) -> Any:
    """as_user(user) -> an APIClient with that user's Bearer token (for the pool's experts)."""
    from rest_framework.test import APIClient

    from egovpm.accounts.auth import token_issue

    def client(user: Any) -> APIClient:
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")
        return c

    return client


def give(client: Any, review_id: str, recommendation: str = "approve", text: str = "同意") -> Any:
    return client.post(
        f"/api/v1/expert-reviews/{review_id}/opinions", {"recommendation": recommendation, "text": text}, format="json"
    )
