"""A role that may not act is told so (403) before its input is judged (400): domain.md §4 order."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_mof_patch_with_bad_body_is_403(project: Any, api: Any) -> None:
    r = api("mof").patch(f"/api/v1/projects/{project.pk}", {"name": "", "stage": "construction"}, format="json")
    assert r.status_code == 403


def test_mof_transition_with_bad_date_is_403(project: Any, api: Any) -> None:
    body = {"action": "cancel", "effective_date": "2026/01/01", "comment": "x"}
    assert api("mof").post(f"/api/v1/projects/{project.pk}/transition", body, format="json").status_code == 403


def test_department_entrust_with_empty_body_is_403(project: Any, api: Any) -> None:
    assert (
        api("leader_a").post(f"/api/v1/projects/{project.pk}/entrust-completion", {}, format="json").status_code == 403
    )


def test_the_department_does_not_learn_who_sits_on_its_panel(project: Any, api: Any) -> None:
    """The experts of a review are listed to NDRC (and each to themself), not to the department."""

    def listed(persona: str) -> set[str]:
        body = api(persona).get(f"/api/v1/projects/{project.pk}/assignments").json()
        return {a["user"] for a in body["results"]}

    assert "expert_assigned" in listed("ndrc")
    assert "expert_assigned" not in listed("staff_a")
    assert "expert_assigned" not in listed("mof")
    assert "archivist_assigned" in listed("staff_a")  # other tasks stay visible
