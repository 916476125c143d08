"""NDRC records a 批复文号 that an approval passed without: C1.1 turns from fail to pass."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_project, ready_for
from egovpm.projects.services import project_transition


@pytest.fixture
def approved_without_number(personas):
    p = make_project(personas["staff_a"])
    for who, action in (
        ("staff_a", "submit_needs_analysis"),
        ("staff_a", "submit_proposal"),
        ("ndrc", "approve_proposal"),
    ):
        ready_for(p, action, dt.date(2026, 3, 2))
        project_transition(actor=personas[who], project_id=p.pk, action=action, effective_date=dt.date(2026, 3, 2))
    return p


def c11(api, project):
    body = api("ndrc").get(f"/api/v1/projects/{project.pk}/compliance").json()
    return next(r for r in body["results"] if r["rule"] == "C1.1")


@pytest.mark.django_db
def test_recording_the_number_clears_c1_1(api, approved_without_number):
    assert c11(api, approved_without_number)["status"] == "fail"
    url = f"/api/v1/projects/{approved_without_number.pk}/events/3/approval-reference"
    r = api("ndrc").post(url, {"approval_reference": "发改高技〔2026〕88号"}, format="json")
    assert r.status_code == 200
    assert r.json()["approval_reference"] == "发改高技〔2026〕88号"
    assert c11(api, approved_without_number)["status"] == "pass"
    # a number once recorded is a fact: a second attempt is refused and changes nothing
    again = api("ndrc").post(url, {"approval_reference": "发改高技〔2026〕99号"}, format="json")
    assert again.status_code == 409
    events = api("ndrc").get(f"/api/v1/projects/{approved_without_number.pk}/events").json()["results"]
    assert events[2]["approval_reference"] == "发改高技〔2026〕88号"


@pytest.mark.django_db
def test_only_approvals_take_a_number(api, approved_without_number):
    r = api("ndrc").post(
        f"/api/v1/projects/{approved_without_number.pk}/events/1/approval-reference",
        {"approval_reference": "X"},
        format="json",
    )
    assert r.status_code == 400
    missing = api("ndrc").post(
        f"/api/v1/projects/{approved_without_number.pk}/events/9/approval-reference",
        {"approval_reference": "X"},
        format="json",
    )
    assert missing.status_code == 404
    empty = api("ndrc").post(
        f"/api/v1/projects/{approved_without_number.pk}/events/3/approval-reference",
        {"approval_reference": "  "},
        format="json",
    )
    assert empty.status_code == 400
