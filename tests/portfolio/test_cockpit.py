"""The cockpit page and `GET /api/v1/portfolio/summary`: who lands on it, what each persona's page
and answer count, the drill-down links, the past-date bound, no inline script."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_ndrc_and_mof_land_on_the_cockpit_after_signing_in_and_departments_on_their_to_do(
    personas: dict[str, Any],
) -> None:
    from conftest import PASSWORD

    for persona, home in (("ndrc", "web:cockpit"), ("mof", "web:cockpit"), ("staff_a", "web:inbox")):
        c = Client()
        answer = c.post(reverse("web:login"), {"username": personas[persona].username, "password": PASSWORD})
        assert answer.status_code == 302
        assert answer["Location"] == reverse(home), persona
    # 待办 stays reachable for NDRC
    assert _client(personas["ndrc"]).get(reverse("web:inbox")).status_code == 200


def test_the_cockpit_replaces_the_greyed_statistics_item(personas: dict[str, Any]) -> None:
    html = _client(personas["ndrc"]).get(reverse("web:inbox")).content.decode()
    assert f'href="{reverse("web:cockpit")}"' in html
    assert "即将上线" not in html.split("驾驶舱")[0][-300:]
    assert "统计" not in re.findall(r'<span class="coming"[^>]*>([^<]*)', html)


def test_ndrc_sees_every_project_and_each_figure_links_to_its_filtered_list(
    personas: dict[str, Any], project: Any, other_project: Any
) -> None:
    html = _client(personas["ndrc"]).get(reverse("web:cockpit")).content.decode()
    # headline: 2 projects; the red-health figure links to ?health=red
    red = re.search(r'href="([^"]+)" data-figure="red"', html)
    assert red is not None
    assert parse_qs(urlsplit(red.group(1).replace("&amp;", "&")).query) == {"health": ["red"]}
    assert 'id="cockpit-data"' in html and "<script>" not in html  # json_script's tag has a type
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    listed = _client(personas["ndrc"]).get(red.group(1).replace("&amp;", "&")).content.decode()
    assert project.code in listed and other_project.code in listed  # both are drafts without an estimate: red


def test_a_department_sees_only_its_own_numbers(personas: dict[str, Any], project: Any, other_project: Any) -> None:
    c = _client(personas["staff_b"])
    body = c.get(reverse("api:portfolio-summary"), HTTP_ACCEPT="application/json")
    assert body.status_code == 200
    data = body.json()
    assert data["projects"]["total"] == 1
    assert data["projects"]["by_department"] == {"mob": 1}
    assert set(data["departments"]) == {"mob"}
    # asking for moa's projects reveals nothing of them
    assert c.get(reverse("api:portfolio-summary"), {"department": "moa"}).json()["projects"]["total"] == 0
    html = c.get(reverse("web:cockpit")).content.decode()
    assert other_project.lead_department.name in html
    assert project.lead_department.name not in html.split('id="cockpit-filters"')[1].split("</form>")[1]


def test_the_summary_answers_the_api_shape_with_yuan_strings(api: Any, project: Any, other_project: Any) -> None:
    data = api("ndrc").get(reverse("api:portfolio-summary"), {"stage": "draft"}).json()
    assert data["as_of"] == "2026-11-20"
    assert data["projects"]["total"] == 2 and data["projects"]["by_stage"] == {"draft": 2}
    assert data["investment"] == {"baseline": "0.00", "current": "0.00", "spent": "0.00", "by_department": {}}
    assert data["rectifications"] == {"open": None, "overdue": None}
    assert data["procurement_shares"] is None
    assert list(data["rules_by_clause"]) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]


def test_bad_filters_are_400_with_codes(api: Any, project: Any) -> None:
    answer = api("ndrc").get(reverse("api:portfolio-summary"), {"year": "twenty"})
    assert answer.status_code == 400
    assert "year" in answer.json()["details"]
    assert api("ndrc").get(reverse("api:portfolio-summary"), {"as_of": "2026-02-30"}).status_code == 400


def test_a_past_date_beyond_the_bound_is_a_400_naming_the_way_out(
    api: Any, project: Any, other_project: Any, monkeypatch: Any, clock: Any
) -> None:
    from egovpm.portfolio import selectors

    monkeypatch.setattr(selectors, "PAST_AS_OF_MAX_PROJECTS", 1)
    clock.set_now(clock.now() + dt.timedelta(days=3))
    answer = api("ndrc").get(reverse("api:portfolio-summary"), {"as_of": "2026-11-20"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "portfolio_past_as_of_too_wide"
    assert "department" in answer.json()["details"]
    # a department's view fits: answered from the records
    assert (
        api("ndrc").get(reverse("api:portfolio-summary"), {"as_of": "2026-11-20", "department": "moa"}).status_code
        == 200
    )


def test_a_project_created_after_the_date_asked_for_is_not_counted(api: Any, project: Any, clock: Any) -> None:
    day_before = (project.created_at.astimezone(clock.BEIJING) - dt.timedelta(days=1)).date()
    data = api("ndrc").get(reverse("api:portfolio-summary"), {"as_of": day_before.isoformat()}).json()
    assert data["projects"]["total"] == 0
    assert api("ndrc").get(reverse("api:portfolio-summary")).json()["projects"]["total"] == 1


def _queries(user: Any, **params: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egovpm.compliance.selectors import ensure_fresh
    from egovpm.portfolio.selectors import summary

    ensure_fresh()  # the refresh of stale verdicts is ADR 0013's cost, not the summary's
    summary(user=user, **params)  # once per process: the packs read, the pack check made
    with CaptureQueriesContext(connection) as seen:
        summary(user=user, **params)
    return len(seen)


@pytest.mark.parametrize(
    ("persona", "params"),
    [
        ("ndrc", {}),
        ("mof", {"stage": "draft", "year": "2026"}),
        ("staff_a", {}),
        ("ndrc", {"as_of": dt.date(2026, 11, 20)}),
    ],
)
def test_the_summary_costs_the_same_queries_for_2_and_for_20_projects(
    personas: dict[str, Any], clock: Any, persona: str, params: dict[str, Any]
) -> None:
    from conftest import make_project

    clock.set_now(clock.now() - dt.timedelta(days=2))
    for _ in range(2):
        make_project(personas["staff_a"], participating_departments=["prov"])
    clock.set_now(clock.now() + dt.timedelta(days=3))  # a past as_of (20 November) is another date
    small = _queries(personas[persona], **params)
    clock.set_now(clock.now() - dt.timedelta(days=3))
    for _ in range(18):
        make_project(personas["staff_a"])
    clock.set_now(clock.now() + dt.timedelta(days=3))
    assert _queries(personas[persona], **params) == small
