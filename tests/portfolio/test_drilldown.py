"""Every figure of the cockpit drills down to exactly the projects behind it (issue 14 item 2): for
NDRC, MoF and a department, today and on a past date where stages and health differ, the number
the user clicks equals the rows of `GET /api/v1/projects` at the link's query — a department's rows
are all its own — and the XLSX export at the link has the same rows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from egovpm.accounts.models import User

pytestmark = pytest.mark.django_db

PAST = dt.date(2026, 6, 30)


@pytest.fixture
def demo() -> None:
    from egovpm import demo as demo_module

    demo_module.load()


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _figures(context: Any) -> list[tuple[str, int, str]]:
    """(what, the number shown as the link, the link) for every linked count of the cockpit."""
    data = context["data"]
    out: list[tuple[str, int, str]] = []
    for h in context["headline"]:
        if h["url"] and isinstance(h["value"], int):
            out.append((f"headline {h['label']}", h["value"], h["url"]))
    out += [(f"stage {r['label']}", r["value"], r["url"]) for r in context["charts"]["stages"]]
    out += [(f"health {r['key']}", r["value"], r["url"]) for r in context["charts"]["health"]]
    out += [(f"rule {r['rule']}", r["value"], r["url"]) for r in context["rule_rows"]]
    out += [(f"department {code}", n, url) for code, _name, n, url, _record in context["department_rows"]]
    by_department = data["projects"]["by_department"]
    out += [(f"money {r['code']}", by_department[r["code"]], r["url"]) for r in context["money_rows"]]
    out += [(f"report {label}", projects, url) for label, _n, projects, url in context["report_rows"]]
    for route, cells in context["adjustment_rows"]:
        out += [(f"adjustment {route}", projects, url) for _n, projects, url in cells if projects]
    out += [(f"evaluation {label}", projects, url) for label, _n, projects, url in context["conclusion_rows"]]
    out += [(f"rectification {label}", projects, url) for label, _n, projects, url in context["rectification_rows"]]
    out += [(f"delivery {m}", data["delivery_modes"][m], url) for m, url in context["delivery_urls"].items()]
    return out


def _api_rows(client: Client, url: str) -> list[dict[str, Any]]:
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    answer = client.get("/api/v1/projects", {**query, "page_size": 500})
    assert answer.status_code == 200, (url, answer.content[:300])
    body = answer.json()
    assert body["count"] == len(body["results"])
    return body["results"]


CASES = [
    ("ndrc.officer", {}),
    ("mof.viewer", {}),
    ("mohrss.staff", {}),
    ("ndrc.officer", {"department": "mohrss"}),
]


@pytest.mark.parametrize("as_of", [None, PAST], ids=["today", "past"])
@pytest.mark.parametrize(("username", "filters"), CASES)
def test_every_linked_figure_equals_the_rows_of_the_list_at_its_link(
    demo: None, username: str, filters: dict[str, str], as_of: dt.date | None
) -> None:
    from egovpm.projects import policies

    c = _client(username)
    query = {**filters, **({"as_of": as_of.isoformat()} if as_of else {})}
    page = c.get(reverse("web:cockpit"), query)
    assert page.status_code == 200
    figures = _figures(page.context)
    user = User.objects.get(username=username)
    own = {str(pk) for pk in policies.restrict(user, "view").values_list("pk", flat=True)}
    kinds = {what.split()[0] for what, n, _url in figures if n}
    assert {"headline", "stage", "health", "rule", "report", "delivery"} <= kinds, kinds
    if username != "mohrss.staff" and as_of is None:
        assert "rectification" in kinds, "the demo's open rectification items are linked"
    if as_of is None:
        assert "adjustment" in kinds, "the demo's adjustments are linked today"
    for what, n, url in figures:
        params = parse_qs(urlsplit(url).query)
        assert params.get("as_of") == ([as_of.isoformat()] if as_of else None), (what, url)
        rows = _api_rows(c, url)
        assert len(rows) == n, (what, url)
        assert {r["id"] for r in rows} <= own, f"{what}: another department's project"


def test_a_past_date_selects_the_projects_as_they_stood_then(demo: None) -> None:
    """The demo's stages and health on PAST differ from today's: the past links do not open today's
    list, and the list's heading says which date it filters by."""
    from egovpm.portfolio.selectors import summary

    ndrc = User.objects.get(username="ndrc.officer")
    today, then = summary(user=ndrc), summary(user=ndrc, as_of=PAST)
    assert today["projects"]["by_stage"] != then["projects"]["by_stage"]
    assert today["health"] != then["health"]
    c = _client("ndrc.officer")
    for stage, n in then["projects"]["by_stage"].items():
        assert len(_api_rows(c, f"/?stage={stage}&as_of={PAST}")) == n
    html = c.get(reverse("web:project_list"), {"health": "red", "as_of": PAST.isoformat()}).content.decode()
    assert f"截至 {PAST.isoformat()} 的筛选" in html
    assert 'name="as_of"' in html and 'name="health"' in html  # kept as the form changes the others


def test_the_xlsx_export_at_a_drill_down_link_has_the_same_rows(demo: None) -> None:
    from openpyxl import load_workbook

    c = _client("ndrc.officer")
    for as_of in (None, PAST):
        context = c.get(reverse("web:cockpit"), {"as_of": as_of.isoformat()} if as_of else {}).context
        for what, n, url in _figures(context):
            if what.split()[0] not in ("health", "report", "adjustment", "stage"):
                continue
            query = urlsplit(url).query
            answer = c.get(f"{reverse('api:project-export')}?{query}")
            assert answer.status_code == 200, (what, url)
            sheet = load_workbook(io.BytesIO(answer.content), read_only=True).active
            codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
            assert sorted(codes) == sorted(r["code"] for r in _api_rows(c, url)), (what, url)
            assert len(codes) == n


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("as_of", "2026-13-01"),
        ("report", "missing"),
        ("adjustment", "ndrc_review"),
        ("post_evaluation", "great"),
        ("rectification", "closed"),
        ("lead_department", "x" * 300),
    ],
)
def test_a_bad_drill_down_filter_is_a_400_naming_it(demo: None, field: str, value: str) -> None:
    answer = _client("ndrc.officer").get("/api/v1/projects", {field: value})
    if field == "lead_department":  # an unknown department lists nothing: not an error
        assert answer.status_code == 200 and answer.json()["count"] == 0
        return
    assert answer.status_code == 400
    assert field in answer.json()["details"], answer.json()


def test_a_past_date_over_too_many_projects_is_refused_naming_how_to_narrow(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovpm.portfolio import selectors

    monkeypatch.setattr(selectors, "PAST_AS_OF_MAX_PROJECTS", 2)
    c = _client("ndrc.officer")
    answer = c.get("/api/v1/projects", {"as_of": PAST.isoformat(), "health": "red"})
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "portfolio_past_as_of_too_wide"
    assert "department" in body["details"]
    assert c.get(reverse("web:project_list"), {"as_of": PAST.isoformat()}).status_code == 400


# --- query counts: the drill-down filters do not grow with the projects ------------------------------

DRILLDOWN_QUERIES = [
    "report=due",
    "adjustment=ndrc_approval:pending",
    "post_evaluation=successful",
    "rectification=overdue",
    "lead_department=moa&health=red",
    "as_of={yesterday}&stage=draft",
    "as_of={yesterday}&report=overdue&adjustment=ndrc_approval:pending",
]
# Measured 4 today: token and user (1) + roles (1) + the filtered count (1) + the page (1) — the
# verdicts' freshness check answers from the stamp when fresh — and the records' stamp of the kept
# list (ADR 0020). 27 on a past date (measured 24 and 26, each one more since the kept list): the
# records stamp, the scope's count, its facts as of the day (projects.facts.project_facts_batch: a
# fixed number of queries whatever the projects), the self-assessments, then the page and its count
# from the selected ids.
DRILLDOWN_MAX_TODAY = 5
DRILLDOWN_MAX_PAST = 27


@pytest.mark.parametrize("persona", ["ndrc", "staff_a"])
@pytest.mark.parametrize("query", DRILLDOWN_QUERIES)
def test_the_drill_down_list_needs_the_same_queries_at_2_and_20_projects(
    persona: str, query: str, personas: dict[str, Any], api: Any
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_project
    from egovpm.core import clock
    from egovpm.projects.models import Project

    yesterday = clock.today() - dt.timedelta(days=1)
    path = "/api/v1/projects?" + query.format(yesterday=yesterday.isoformat())
    client = api(persona)
    counts = []
    for total in (2, 20):
        for i in range(total - Project.objects.count()):
            make_project(personas["staff_a"], name=f"项目{i}", participating_departments=["prov"])
        # registered before the day asked for (the records' own dates decide)
        Project.objects.update(created_at=clock.now() - dt.timedelta(days=3))
        client.get(path)  # warm-up: per-process caches (packs, content types)
        cache.clear()  # the past path's cache: measure the computation, not a hit
        with CaptureQueriesContext(connection) as ctx:
            answer = client.get(path)
        assert answer.status_code == 200, answer.content[:300]
        if "stage=draft" in query:  # the drafts existed then: every one of them is listed
            assert answer.json()["count"] == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= (DRILLDOWN_MAX_PAST if "as_of" in query else DRILLDOWN_MAX_TODAY), counts
