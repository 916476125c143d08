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
    from conftest import make_project

    red = make_project(personas["staff_b"], name="无负责人项目", responsible_leader_name="")  # C2.1 fails
    c = _client(personas["ndrc"])
    html = c.get(reverse("web:cockpit")).content.decode()
    link = re.search(r'href="([^"]+)" data-figure="red"><strong>(\d+)</strong>', html)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(url).query) == {"health": ["red"]}
    assert link.group(2) == "1"
    assert 'id="cockpit-data"' in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)  # no inline script (CSP)
    listed = c.get(url).content.decode()
    assert red.code in listed
    assert project.code not in listed and other_project.code not in listed
    # every stage bar's link is the list filtered by that stage
    stage = re.search(r'<td>[^<]+</td><td class="num"><a href="([^"]+)">(\d+)</a>', html)
    assert stage is not None and parse_qs(urlsplit(stage.group(1).replace("&amp;", "&")).query) == {"stage": ["draft"]}
    assert stage.group(2) == "3"


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
    assert data["rectifications"] == {"open": 0, "overdue": 0}  # inspections installed: counted, none yet
    assert data["procurement_shares"]["key_total"]["amount_share"] is None  # no procurement yet: nothing to divide
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
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egovpm.compliance.selectors import ensure_fresh
    from egovpm.portfolio.selectors import summary

    ensure_fresh()  # the refresh of stale verdicts is ADR 0013's cost, not the summary's
    summary(user=user, **params)  # once per process: the packs read, the pack check made
    cache.clear()  # the figures computed, not the cached answer
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


def test_a_cached_answer_is_reused_only_while_no_record_changed(personas: dict[str, Any], project: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_project
    from egovpm.portfolio.selectors import summary
    from egovpm.projects.services import project_transition

    ndrc = personas["ndrc"]
    assert summary(user=ndrc)["projects"]["total"] == 1
    with CaptureQueriesContext(connection) as seen:
        assert summary(user=ndrc)["projects"]["total"] == 1
    assert len(seen) == 1  # the audit chains' heads
    make_project(personas["staff_b"], name="新项目")
    assert summary(user=ndrc)["projects"]["total"] == 2
    assert summary(user=ndrc)["projects"]["by_stage"]["draft"] == 2
    from conftest import ready_for

    ready_for(project, "submit_needs_analysis")
    project_transition(actor=personas["staff_a"], project_id=project.pk, action="submit_needs_analysis")
    assert summary(user=ndrc)["projects"]["by_stage"]["needs_analysis"] == 1
    # another user of the whole portfolio shares the answer; a department has its own
    assert summary(user=personas["mof"])["projects"]["total"] == 2
    assert summary(user=personas["staff_b"])["projects"]["total"] == 1


def test_the_cockpit_reads_chinese_first_and_english_when_chosen(personas: dict[str, Any], project: Any) -> None:
    c = _client(personas["ndrc"])
    html = c.get(reverse("web:cockpit")).content.decode()
    for words in ("驾驶舱", "以表格查看", "各条款未通过规则", "单位：万元", "采购信息尚未记录"):
        assert words in html
    c.post("/i18n/setlang/", {"language": "en", "next": reverse("web:cockpit")})
    html = c.get(reverse("web:cockpit")).content.decode()
    for words in ("Cockpit", "View as table", "Failing rules by clause", "10,000 yuan"):
        assert words in html


def test_a_past_date_too_wide_for_the_page_says_how_to_narrow_it(
    personas: dict[str, Any], project: Any, other_project: Any, monkeypatch: Any, clock: Any
) -> None:
    from egovpm.portfolio import selectors

    monkeypatch.setattr(selectors, "PAST_AS_OF_MAX_PROJECTS", 1)
    clock.set_now(clock.now() + dt.timedelta(days=3))
    answer = _client(personas["ndrc"]).get(reverse("web:cockpit"), {"as_of": "2026-11-20"})
    assert answer.status_code == 400
    assert "请选择部门、阶段或年度" in answer.content.decode()
    narrowed = _client(personas["ndrc"]).get(reverse("web:cockpit"), {"as_of": "2026-11-20", "department": "moa"})
    assert narrowed.status_code == 200 and 'id="cockpit-past"' in narrowed.content.decode()


def test_a_delivery_mode_count_drills_down_to_the_projects_that_record_it(
    personas: dict[str, Any], project: Any, other_project: Any
) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(personas["staff_b"])
    modes = {"modes": [{"mode": "data_hosting", "provider": "某云服务商", "scope": "业务数据托管"}]}
    r = api.put(f"/api/v1/projects/{other_project.pk}/delivery-modes", modes, format="json")
    assert r.status_code == 200, r.content
    c = _client(personas["ndrc"])
    html = c.get(reverse("web:cockpit")).content.decode()
    link = re.search(r'<a href="([^"]+)" data-delivery="data_hosting">(\d+)</a>', html)
    assert link is not None and link.group(2) == "1"
    url = link.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(url).query) == {"delivery_mode": ["data_hosting"]}
    listed = c.get(url).content.decode()
    assert other_project.code in listed and project.code not in listed
    # the API list takes the same filter; an unknown mode is a 400 naming it
    ndrc = APIClient()
    ndrc.force_authenticate(personas["ndrc"])
    codes = [p["code"] for p in ndrc.get("/api/v1/projects?delivery_mode=data_hosting").json()["results"]]
    assert codes == [other_project.code]
    bad = ndrc.get("/api/v1/projects?delivery_mode=cloud")
    assert bad.status_code == 400 and "delivery_mode" in bad.json()["details"]


def _headline_projects(html: str) -> int:
    found = re.search(r'<div class="stat ">\s*<span>[^<]+</span>\s*<a href="[^"]*"><strong>(\d+)</strong>', html)
    assert found is not None, "the headline's project count"
    return int(found.group(1))


@pytest.mark.kept
def test_the_page_kept_between_requests_shows_a_write_at_once_and_each_scope_its_own(
    personas: dict[str, Any], project: Any, other_project: Any
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_project

    cache.clear()
    ndrc, mof, staff_b = (_client(personas[p]) for p in ("ndrc", "mof", "staff_b"))
    with CaptureQueriesContext(connection) as first:
        assert _headline_projects(ndrc.get(reverse("web:cockpit")).content.decode()) == 2
    with CaptureQueriesContext(connection) as again:
        assert _headline_projects(ndrc.get(reverse("web:cockpit")).content.decode()) == 2
    assert len(again) < len(first)  # the figures' part was kept, not computed again
    # a department's page is its own, never the whole portfolio's kept part
    assert _headline_projects(staff_b.get(reverse("web:cockpit")).content.decode()) == 1
    make_project(personas["staff_b"], name="新项目")
    # the write moved the records' stamp: every reader sees it on the next request
    assert _headline_projects(ndrc.get(reverse("web:cockpit")).content.decode()) == 3
    assert _headline_projects(mof.get(reverse("web:cockpit")).content.decode()) == 3
    assert _headline_projects(staff_b.get(reverse("web:cockpit")).content.decode()) == 2
    # and the filters are part of what is kept: another department's filter is another page
    assert _headline_projects(ndrc.get(reverse("web:cockpit"), {"department": "mob"}).content.decode()) == 2
