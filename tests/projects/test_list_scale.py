"""The project list at national scale (issue 13): newest first in a stable order, keyset pages
(`cursor`) that cover every row once, `page=` still served, the department scope and `q` unchanged,
the drill-down filters `health` and `rule`, the 400s, and lean rows identical to ProjectOut."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_project

pytestmark = pytest.mark.django_db

UTC = dt.UTC
_seq = itertools.count(1)


def _bulk(lead: Any, creator: Any, times: list[dt.datetime], participants: tuple[Any, ...] = ()) -> list[Any]:
    """Projects made directly (no service): the list's order and pages are what is tested here."""
    from egovpm.projects.models import Participation, Project

    projects = [
        Project(
            code=f"2026-110000-{lead.number}-01-{next(_seq):06d}",
            name=f"批量项目{i}",
            lead_department=lead,
            created_at=t,
            updated_at=t,
            created_by=creator,
        )
        for i, t in enumerate(times)
    ]
    Project.objects.bulk_create(projects)
    Participation.objects.bulk_create([Participation(project=p, department=d) for p in projects for d in participants])
    return projects


def _walk(client: Any, url: str) -> tuple[list[str], int, list[dict[str, Any]]]:
    """Follow `next` from `url` to the end: the codes in order, the count, every page's body."""
    codes: list[str] = []
    bodies = []
    count = -1
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        bodies.append(body)
        count = body["count"]
        codes += [r["code"] for r in body["results"]]
        url = body["next"]
    return codes, count, bodies


def _walk_back(client: Any, bodies: list[dict[str, Any]]) -> list[str]:
    """Follow `previous` from the last of `bodies` to the start: the codes in the list's order."""
    url, back = bodies[-1]["previous"], [bodies[-1]["results"]]
    while url:
        body = client.get(url).json()
        back.append(body["results"])
        url = body["previous"]
    return [r["code"] for page in reversed(back) for r in page]


def _expected(projects: Any) -> list[str]:
    """Newest first; equal creation times by code."""
    by_code = sorted(projects, key=lambda p: p.code)
    return [p.code for p in sorted(by_code, key=lambda p: p.created_at, reverse=True)]


def test_newest_first_and_ties_by_code(personas: dict[str, Any], departments: dict[str, Any], api: Any) -> None:
    t = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    same = _bulk(departments["moa"], personas["staff_a"], [t, t, t])
    older = _bulk(departments["moa"], personas["staff_a"], [t - dt.timedelta(days=1)])
    newer = _bulk(departments["moa"], personas["staff_a"], [t + dt.timedelta(seconds=1)])
    codes, count, _ = _walk(api("ndrc"), "/api/v1/projects")
    assert codes == [newer[0].code, *sorted(p.code for p in same), older[0].code]
    assert count == 5


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=5), min_size=0, max_size=23),
    size=st.integers(min_value=1, max_value=6),
)
def test_keyset_pages_cover_every_row_once(
    offsets: list[int], size: int, personas: dict[str, Any], departments: dict[str, Any], api: Any
) -> None:
    """Random creation times with many ties (offsets in minutes from a few values): walking `next`
    lists every project exactly once, newest first; walking `previous` back gives the same pages."""
    from egovpm.projects.models import Project

    base = dt.datetime(2026, 5, 1, tzinfo=UTC)
    projects = _bulk(departments["moa"], personas["staff_a"], [base + dt.timedelta(minutes=m) for m in offsets])
    try:
        client = api("ndrc")
        codes, count, bodies = _walk(client, f"/api/v1/projects?page_size={size}")
        assert codes == _expected(projects)
        assert count == len(projects)
        assert all(len(b["results"]) <= size for b in bodies)
        assert bodies[0]["previous"] is None
        # back from the last page along `previous`: the same pages, in reverse
        assert _walk_back(client, bodies) == codes
    finally:
        Project.objects.filter(pk__in=[p.pk for p in projects]).delete()


def test_numbered_pages_still_served_from_either_end(
    personas: dict[str, Any], departments: dict[str, Any], api: Any
) -> None:
    """`page=N` (the clients of the first release): the same rows as the keyset walk, the pages of
    the second half read from the other end included, `last` too, and 404 past the end."""
    base = dt.datetime(2026, 5, 1, tzinfo=UTC)
    projects = _bulk(departments["moa"], personas["staff_a"], [base + dt.timedelta(hours=h % 4) for h in range(11)])
    client = api("ndrc")
    expected = _expected(projects)
    pages = []
    for n in range(1, 5):
        body = client.get(f"/api/v1/projects?page_size=3&page={n}").json()
        assert body["count"] == 11
        pages.append([r["code"] for r in body["results"]])
        assert (body["next"] is None) == (n == 4)
        if body["next"]:
            assert parse_qs(urlsplit(body["next"]).query)["page"] == [str(n + 1)]
    assert [c for p in pages for c in p] == expected
    last = client.get("/api/v1/projects?page_size=3&page=last").json()
    assert [r["code"] for r in last["results"]] == expected[9:]
    past = client.get("/api/v1/projects?page_size=3&page=5", HTTP_ACCEPT_LANGUAGE="en")
    assert past.status_code == 404
    assert past.json()["code"] == "not_found" and past.json()["reason"]["code"] == "no_such_page"
    assert "4 pages" in past.json()["message"] or "4 页" in past.json()["message"]


def test_bad_cursor_is_a_400_naming_it(personas: dict[str, Any], api: Any) -> None:
    for cursor in ("nonsense", "WyJ4IiwgW11d", "WyJuIiwgWyJub3QgYSBkYXRlIiwgIngiXV0"):
        response = api("ndrc").get(f"/api/v1/projects?cursor={cursor}")
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()["details"]


def test_department_scope_lead_and_participation(personas: dict[str, Any], api: Any) -> None:
    """staff of prov see the projects prov leads or participates in, each once, and the count says
    so; a project of moa alone stays out; `department=` selects the same for NDRC."""
    led = make_project(personas["staff_p"], name="省牵头项目")
    joint = make_project(personas["staff_a"], name="部省联合项目", participating_departments=["prov", "mob"])
    alone = make_project(personas["staff_a"], name="部委独立项目")
    for persona, path in (("staff_p", "/api/v1/projects"), ("ndrc", "/api/v1/projects?department=prov")):
        codes, count, _ = _walk(api(persona), path)
        assert sorted(codes) == sorted([led.code, joint.code]), persona
        assert count == 2
        assert alone.code not in codes
    # a project moa leads while also listed as participant is listed once, counted once
    codes, count, _ = _walk(api("staff_b"), "/api/v1/projects")
    assert codes == [joint.code] and count == 1


def test_department_pages_cover_every_row_once(personas: dict[str, Any], departments: dict[str, Any], api: Any) -> None:
    """A department's list (its staff; NDRC's `department=`) reads each page's keys first and counts
    the UNION of lead and participation (selectors.keys_first, project_list_count): keyset pages
    forth and back and numbered pages from either end list every project of the scope once, in
    order, with the exact count — a project led and participated in by the department included,
    the projects outside it never."""
    prov, moa = departments["prov"], departments["moa"]
    base = dt.datetime(2026, 6, 1, tzinfo=UTC)
    times = [base + dt.timedelta(minutes=m % 3) for m in range(5)]
    led = _bulk(prov, personas["staff_p"], times)
    joined = _bulk(moa, personas["staff_a"], times[:4], participants=(prov,))
    both = _bulk(prov, personas["staff_p"], times[:2], participants=(prov, moa))
    outside = _bulk(moa, personas["staff_a"], times)
    expected = _expected([*led, *joined, *both])
    for persona, path in (
        ("staff_p", "/api/v1/projects?page_size=2"),
        ("ndrc", "/api/v1/projects?page_size=2&department=prov"),
    ):
        client = api(persona)
        codes, count, bodies = _walk(client, path)
        assert codes == expected, persona
        assert count == len(expected) == 11
        assert not {p.code for p in outside} & set(codes)
        assert _walk_back(client, bodies) == codes
        numbered = [client.get(f"{path}&page={n}").json() for n in range(1, 7)]
        assert [r["code"] for page in numbered for r in page["results"]] == expected
        assert {page["count"] for page in numbered} == {11}


def test_q_searches_name_and_code(personas: dict[str, Any], api: Any) -> None:
    one = make_project(personas["staff_a"], name="全国一体化政务服务平台")
    two = make_project(personas["staff_a"], name="应急指挥系统")
    client = api("staff_a")
    assert [r["code"] for r in client.get("/api/v1/projects?q=政务服务").json()["results"]] == [one.code]
    tail = two.code[-8:]
    body = client.get(f"/api/v1/projects?q={tail}").json()
    assert [r["code"] for r in body["results"]] == [two.code] and body["count"] == 1


def test_list_rows_identical_to_project_out(personas: dict[str, Any], api: Any) -> None:
    """The lean rows of the list and of the detail are what the ProjectOut serializer renders of
    the project, field for field and in its order."""
    from egovpm.projects.api import ProjectOut
    from egovpm.projects.models import Project

    make_project(personas["staff_a"], name="甲", participating_departments=["prov", "mob"])
    make_project(personas["staff_a"], name="乙", joint_central_local=True)
    client = api("staff_a")
    rows = client.get("/api/v1/projects").json()["results"]
    assert len(rows) == 2
    for row in rows:
        project = Project.objects.select_related("lead_department").get(pk=row["id"])
        expected = json.loads(json.dumps(ProjectOut(project).data))
        assert row == expected and list(row) == list(expected)
        detail = client.get(f"/api/v1/projects/{row['id']}").json()
        assert detail == expected and list(detail) == list(expected)
    assert client.get("/api/v1/projects/not-a-uuid").status_code == 404


def test_unknown_health_or_rule_is_a_400_naming_the_field(api: Any) -> None:
    for param in ("health=purple", "rule=NO.SUCH.RULE"):
        response = api("ndrc").get(f"/api/v1/projects?{param}")
        assert response.status_code == 400, param
        assert param.split("=")[0] in response.json()["details"]


def test_health_and_rule_drill_down(personas: dict[str, Any], api: Any) -> None:
    """health= and rule= list the projects whose (fresh) stored verdict says so, and only those."""
    from egovpm.compliance import selectors as compliance
    from egovpm.compliance.models import ProjectVerdict, RuleFailure

    projects = [make_project(personas["staff_a"], name=f"核查项目{i}") for i in range(2)]
    compliance.ensure_fresh()
    verdicts = {v.project_id: v for v in ProjectVerdict.objects.filter(project__in=projects)}
    assert len(verdicts) == 2
    client = api("ndrc")
    for health in ("red", "amber", "green"):
        codes, count, _ = _walk(client, f"/api/v1/projects?health={health}")
        assert sorted(codes) == sorted(p.code for p in projects if verdicts[p.pk].health == health)
        assert count == len(codes)
    failures = RuleFailure.objects.filter(project__in=projects)
    for rule in set(failures.values_list("rule", flat=True)):
        codes, count, _ = _walk(client, f"/api/v1/projects?rule={rule}")
        failing = set(failures.filter(rule=rule).values_list("project__code", flat=True))
        assert sorted(codes) == sorted(failing) and count == len(failing)
    # a rule no project fails lists nothing (and is no 400: it is a rule of the pack)
    from egovpm.projects.filters import rule_choices

    unfailed = next(r for r, _ in rule_choices() if not failures.filter(rule=r).exists())
    assert _walk(client, f"/api/v1/projects?rule={unfailed}")[:2] == ([], 0)


@pytest.mark.postgres
def test_q_uses_the_trigram_indexes_on_postgresql(personas: dict[str, Any]) -> None:
    from django.db import connection

    from egovpm.projects import selectors

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only (run in the PostgreSQL pass)")
    make_project(personas["staff_a"], name="全国一体化政务服务平台")
    qs = selectors.project_list_rows(user=personas["ndrc"], q="政务服务")
    with connection.cursor() as cursor:
        # a tiny table: ask whether the search *can* use them (no full scans of the table or an index)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "project_name_trgm" in plan and "project_code_trgm" in plan, plan
    assert [p.name for p in qs] == ["全国一体化政务服务平台"]


@pytest.mark.postgres
def test_the_kept_total_follows_inserts_and_deletes_on_postgresql(
    personas: dict[str, Any], departments: dict[str, Any], api: Any
) -> None:
    """NDRC's unfiltered count reads the total the triggers keep (migration 0003): it follows a
    service's creation, a bulk insert and deletes, and equals COUNT(*) at every step."""
    from django.db import connection

    from egovpm.projects.models import Project

    if connection.vendor != "postgresql":
        pytest.skip("the kept total exists on PostgreSQL only (run in the PostgreSQL pass)")

    def kept() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT total FROM projects_total WHERE id = 1")
            return int(cursor.fetchone()[0])

    client = api("ndrc")
    make_project(personas["staff_a"])
    bulk = _bulk(departments["moa"], personas["staff_a"], [dt.datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 6)])
    assert kept() == Project.objects.count() == client.get("/api/v1/projects").json()["count"]
    Project.objects.filter(pk__in=[p.pk for p in bulk[:3]]).delete()
    assert kept() == Project.objects.count() == client.get("/api/v1/projects").json()["count"]


def test_ui_list_pages_from_either_end(personas: dict[str, Any], departments: dict[str, Any], client: Any) -> None:
    """The UI list (Paginator over selectors.ListedProjects): every page in order, the second
    half read from the other end, and the count of the department's scope, for a department's staff."""
    from egovpm.projects import selectors
    from egovpm.projects.views import PAGE_SIZE

    base = dt.datetime(2026, 5, 1, tzinfo=UTC)
    times = [base + dt.timedelta(hours=h % 7) for h in range(2 * PAGE_SIZE + 5)]
    led = _bulk(departments["prov"], personas["staff_p"], times[:PAGE_SIZE])
    joined = _bulk(departments["moa"], personas["staff_a"], times[PAGE_SIZE:], participants=(departments["prov"],))
    _bulk(departments["moa"], personas["staff_a"], times[:3])  # not prov's
    listed = selectors.project_list(user=personas["staff_p"])
    assert listed.count() == len(times)
    codes = [p.code for i in range(0, len(times), 7) for p in listed[i : i + 7]]
    assert codes == _expected(led + joined)
    client.force_login(personas["staff_p"])
    for page in (1, 2, 3):
        response = client.get(f"/projects/?page={page}")
        assert response.status_code == 200
        shown = [row["project"].code for row in response.context["rows"]]
        assert shown == _expected(led + joined)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def test_ui_list_drills_down_by_health_and_rule(personas: dict[str, Any], api: Any, client: Any) -> None:
    """The UI list applies health= and rule= like the API (the cockpit's figures link to it), and
    its filter form keeps them when another filter changes."""
    from egovpm.compliance.models import RuleFailure

    red = make_project(personas["staff_a"], name="红灯项目")  # a draft lacks what C2.1 needs
    make_project(personas["staff_a"], name="另一项目")
    client.force_login(personas["ndrc"])
    for query in ("health=red", "health=green", "health=amber"):
        listed = client.get(f"/projects/?{query}")
        assert listed.status_code == 200
        html = listed.content.decode()
        expected, _, _ = _walk(api("ndrc"), f"/api/v1/projects?{query}")
        for p in (red,):
            assert (p.code in html) == (p.code in expected), query
        assert f'name="health" value="{query.split("=")[1]}"' in html
    rule = RuleFailure.objects.filter(project=red).values_list("rule", flat=True).first()
    if rule is not None:
        html = client.get(f"/projects/?rule={rule}").content.decode()
        assert red.code in html and f'name="rule" value="{rule}"' in html
    assert client.get("/projects/?health=purple").status_code == 400


def test_an_assigned_expert_finds_the_project_but_never_its_verdict(project: Any, api: Any) -> None:
    """An expert assigned to a review finds its project in the list (the summary scope), but a
    health or rule filter reads the project's file: it lists nothing for them, so neither the rows
    nor the count tell the verdict (the compliance page answers them 404 too)."""
    from egovpm.compliance import selectors as compliance
    from egovpm.compliance.models import ProjectVerdict, RuleFailure

    compliance.ensure_fresh()
    health = ProjectVerdict.objects.get(project=project).health
    rule = RuleFailure.objects.filter(project=project).values_list("rule", flat=True).first() or "C2.1"
    expert = api("expert_assigned")
    assert project.code in _walk(expert, "/api/v1/projects")[0]
    for query in (f"health={health}", f"rule={rule}"):
        codes, count, _ = _walk(expert, f"/api/v1/projects?{query}")
        assert (codes, count) == ([], 0), query
        assert project.code in _walk(api("staff_a"), f"/api/v1/projects?{query}")[0] or query.startswith("rule")
    assert expert.get(f"/api/v1/projects/{project.pk}/compliance").status_code == 404
