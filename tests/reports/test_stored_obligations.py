"""The stored report obligations (ReportObligation, issue 13): equal to the obligations computed
from the records on any day, the portfolio's matrix equal to a direct count, the paginated drill-down
covering every obligation once, and every view scoped as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_project

from .conftest import SECTIONS, start_construction

pytestmark = pytest.mark.django_db


def _computed(as_of: dt.date) -> set[tuple[Any, str, dt.date, str, str, bool, Any]]:
    """Every project's obligations computed from its records now, by the pure function C4.x use."""
    from egovpm.projects.facts import project_facts
    from egovpm.projects.models import Project
    from egovpm.reports.obligations import bucket_of
    from egovpm.reports.selectors import pack_params
    from egovpm.rules import facts_reports as fr

    out = set()
    for p in Project.objects.select_related("lead_department"):
        facts = project_facts(project=p, as_of=as_of)
        subs = facts.reports.submissions if facts.reports is not None else ()  # type: ignore[attr-defined]
        for s in fr.report_obligations(facts.events, subs, as_of, pack_params(p.regime)):
            out.add((p.pk, s.code, s.period.due, s.status, bucket_of(s), s.status == fr.RETURNED, p.lead_department_id))
    return out


def _stored() -> set[tuple[Any, str, dt.date, str, str, bool, Any]]:
    from egovpm.reports.models import ReportObligation

    return set(
        ReportObligation.objects.values_list(
            "project_id", "period", "due", "status", "bucket", "returned", "department_id"
        )
    )


def _set_day(clock: Any, day: dt.date) -> None:
    """10:00 in Beijing on `day`."""
    clock.set_now(dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC))


def test_stored_obligations_equal_the_computed_ones_for_the_demo_on_several_days(clock: Any) -> None:
    from egovpm import demo
    from egovpm.reports.obligations import ensure_fresh

    demo.load()
    assert _computed(clock.today()), "the demo has projects that owe reports"
    # today; the day after the 2026 annual report's due date and a new half-year (no write between);
    # the last day of a period and the first day after its due date
    for day in (clock.today(), dt.date(2027, 1, 31), dt.date(2027, 2, 1), dt.date(2027, 7, 31), dt.date(2027, 8, 1)):
        _set_day(clock, day)
        ensure_fresh()
        assert _stored() == _computed(day), day
        assert _awaiting() == _awaiting_direct(), day


def _awaiting() -> dict[str, set[tuple[Any, str]]]:
    from egovpm.reports.models import ReportObligation

    return {
        r: set(ReportObligation.objects.filter(**{f"awaits_{r}": True}).values_list("project_id", "period"))
        for r in ("ndrc", "mof")
    }


def _awaiting_direct() -> dict[str, set[tuple[Any, str]]]:
    """Submissions standing (not returned) without the recipient's 签收, from the records."""
    from egovpm.reports.models import ReportSubmission

    return {
        r: set(
            ReportSubmission.objects.filter(returned__isnull=True)
            .exclude(acknowledgements__recipient=r)
            .values_list("project_id", "period")
        )
        for r in ("ndrc", "mof")
    }


def test_a_report_turns_overdue_the_day_after_its_due_date_without_any_write(
    building: Any, api: Any, clock: Any
) -> None:
    """2026-H1 … 2026: on 2027-01-31 the 2026 report is pending, on 2027-02-01 it is overdue."""
    from egovpm.reports.models import ReportObligation

    _set_day(clock, dt.date(2027, 1, 31))
    assert api("ndrc").get("/api/v1/reports/portfolio").json()["totals"]["pending"] >= 1
    assert ReportObligation.objects.get(project=building, period="2026").status == "pending"
    _set_day(clock, dt.date(2027, 2, 1))
    body = api("ndrc").get("/api/v1/reports/portfolio?department=moa&period=2026").json()
    assert [r["status"] for r in body["results"]] == ["overdue"]
    assert ReportObligation.objects.get(project=building, period="2026").status == "overdue"
    assert _stored() == _computed(dt.date(2027, 2, 1))


def test_a_submission_and_a_return_show_at_once(building: Any, api: Any) -> None:
    url = f"/api/v1/projects/{building.pk}/reports"
    assert api("staff_a").post(f"{url}/2025-H1/submit", {"sections": SECTIONS}, format="json").status_code == 201
    rows = {r["period"]: r for r in api("ndrc").get("/api/v1/reports/portfolio?department=moa").json()["results"]}
    assert rows["2025-H1"]["status"] == "submitted_late"
    assert api("ndrc").post(f"{url}/2025-H1/return", {"comment": "补充招标情况"}, format="json").status_code == 200
    body = api("ndrc").get("/api/v1/reports/portfolio?department=moa").json()
    assert {r["period"]: r["status"] for r in body["results"]}["2025-H1"] == "returned"
    moa_h1 = next(r for r in body["rows"] if r["department"] == "moa" and r["period"] == "2025-H1")
    assert (moa_h1["late"], moa_h1["returned"], moa_h1["total"]) == (1, 1, 1)
    assert _stored() == _computed(dt.date(2026, 11, 20))


def _grow(personas: dict[str, Any], n: int, lead: str = "staff_a") -> list[Any]:
    return [
        start_construction(
            make_project(personas[lead], name=f"在建项目{lead}{i}"), personas_for(personas, lead), dt.date(2025, 3, 1)
        )
        for i in range(n)
    ]


def personas_for(personas: dict[str, Any], lead: str) -> dict[str, Any]:
    if lead == "staff_b":
        return {**personas, "staff_a": personas["staff_b"], "leader_a": personas["leader_b"]}
    return personas


def test_matrix_totals_equal_a_direct_count(personas: Any, api: Any) -> None:
    from egovpm.rules import facts_reports as fr

    _grow(personas, 3)
    _grow(personas, 2, "staff_b")
    body = api("mof").get("/api/v1/reports/portfolio").json()
    computed = _computed(dt.date(2026, 11, 20))
    assert body["totals"]["total"] == len(computed) == 5 * 4
    for key in ("on_time", "late", "overdue", "pending"):
        assert body["totals"][key] == sum(1 for c in computed if c[4] == key), key
    assert body["totals"]["returned"] == sum(1 for c in computed if c[3] == fr.RETURNED)
    by_cell = {(r["department"], r["period"]): r["total"] for r in body["rows"]}
    assert by_cell[("moa", "2025")] == 3 and by_cell[("mob", "2026-H1")] == 2
    assert sum(by_cell.values()) == body["totals"]["total"]


def test_the_paginated_drill_down_covers_every_obligation_exactly_once(personas: Any, api: Any) -> None:
    _grow(personas, 3)
    _grow(personas, 2, "staff_b")
    client = api("ndrc")
    seen: list[tuple[str, str]] = []
    url: str | None = "/api/v1/reports/portfolio?page_size=3"
    pages = 0
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 3 and body["projects"] == body["results"]
        seen += [(r["project"], r["period"]) for r in body["results"]]
        url = body["next"]
        pages += 1
    assert body["count"] == 20 and pages == 7
    assert len(seen) == len(set(seen)) == 20
    assert {(str(c[0]), c[1]) for c in _computed(dt.date(2026, 11, 20))} == set(seen)
    # ordered by department, project code, period
    rows = [client.get("/api/v1/reports/portfolio?page_size=500").json()["results"]][0]
    assert [(r["department"], r["project_code"], r["period"]) for r in rows] == sorted(
        (r["department"], r["project_code"], r["period"]) for r in rows
    )
    # the filters narrow the list and its count, the matrix stays whole
    body = client.get("/api/v1/reports/portfolio?department=mob&period=2025&page_size=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"] and body["previous"] is None
    assert body["totals"]["total"] == 20
    assert client.get(body["next"]).json()["previous"]
    assert client.get("/api/v1/reports/portfolio?page=0").status_code == 400
    assert client.get("/api/v1/reports/portfolio?page_size=x").status_code == 400
    assert len(client.get("/api/v1/reports/portfolio?page_size=100000").json()["results"]) == 20


def test_department_scope_in_every_view(personas: Any, api: Any) -> None:
    from egovpm.reports import selectors

    mine = _grow(personas, 2)
    theirs = _grow(personas, 1, "staff_b")
    # the portfolio is NDRC's and MoF's (403 for a department, as before)
    assert api("staff_a").get("/api/v1/reports/portfolio").status_code == 403
    assert api("staff_a").get("/api/v1/reports/portfolio/export").status_code == 403
    # the department page: own projects only
    c = Client()
    assert c.login(username=personas["staff_a"].username, password=PASSWORD)
    page = c.get(reverse("web:report_home")).content.decode()
    assert all(p.code in page for p in mine) and theirs[0].code not in page
    own = selectors.department_obligations(user=personas["staff_a"], page_size=500)
    assert own.count == 8 and {o.project.pk for o in own.items} == {p.pk for p in mine}
    # 待办: own reports only
    inbox = c.get(reverse("web:inbox")).content.decode()
    assert any(p.name in inbox for p in mine)
    assert theirs[0].name not in inbox
    items = selectors.inbox_obligations(user=personas["staff_b"], horizon=30)
    assert {o.project.pk for o in items.items} == {theirs[0].pk}


def test_the_inbox_is_bounded_with_a_count_and_a_link(personas: Any, monkeypatch: Any, api: Any) -> None:
    from egovpm.reports import selectors

    mine = _grow(personas, 2)  # 2 × (2025-H1, 2025 overdue; 2026-H1 overdue) = 6 overdue, 2 pending far off
    monkeypatch.setattr(selectors, "INBOX_LIMIT", 4)
    c = Client()
    assert c.login(username=personas["staff_a"].username, password=PASSWORD)
    page = c.get(reverse("web:inbox")).content.decode()
    assert "另有 2 份建设情况报告待报送" in page  # …and 2 more progress reports to submit
    assert page.count(reverse("web:report_detail", kwargs={"pk": mine[0].pk, "period": "2025"})) <= 1
    # NDRC: reports to acknowledge, bounded the same way
    for p in mine:
        r = api("staff_a").post(
            f"/api/v1/projects/{p.pk}/reports/2025-H1/submit", {"sections": SECTIONS}, format="json"
        )
        assert r.status_code == 201
    ack = selectors.unacknowledged(user=personas["ndrc"], recipient="ndrc", limit=1)
    assert ack.count == 2 and len(ack.items) == 1
    assert api("ndrc").post(f"/api/v1/projects/{mine[0].pk}/reports/2025-H1/acknowledge").status_code == 200
    ack = selectors.unacknowledged(user=personas["ndrc"], recipient="ndrc", limit=1)
    assert ack.count == 1 and ack.items[0].project.pk == mine[1].pk
    assert selectors.unacknowledged(user=personas["mof"], recipient="mof").count == 2


def test_a_past_date_is_bounded(personas: Any, api: Any, monkeypatch: Any) -> None:
    from egovpm.reports import selectors

    _grow(personas, 2)
    _grow(personas, 1, "staff_b")
    monkeypatch.setattr(selectors, "PAST_AS_OF_MAX_PROJECTS", 2)
    r = api("ndrc").get("/api/v1/reports/portfolio?as_of=2026-01-01")
    assert r.status_code == 400 and "department" in r.json()["details"]
    body = api("ndrc").get("/api/v1/reports/portfolio?as_of=2026-01-01&department=moa").json()
    # on 1 January 2026 each project owed 2025-H1 (overdue), 2025 (due 31 January) and, from that
    # day, 2026-H1 and 2026 (pending)
    assert body["totals"] == {"on_time": 0, "late": 0, "overdue": 2, "pending": 6, "returned": 0, "total": 8}
    assert body["count"] == 8
    assert api("ndrc").get("/api/v1/reports/portfolio?as_of=2026-01-01&department=mob").json()["count"] == 4


def test_the_export_streams_the_whole_drill_down(personas: Any, api: Any, monkeypatch: Any) -> None:
    import io

    from openpyxl import load_workbook

    from egovpm.reports import selectors

    projects = _grow(personas, 3)
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 5)  # 12 obligations: 3 chunks
    r = api("ndrc").get("/api/v1/reports/portfolio/export")
    details = load_workbook(io.BytesIO(r.content))["项目明细"]
    rows = [(row[1], row[3]) for row in details.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(set(rows)) == 12
    assert {code for code, _ in rows} == {p.code for p in projects}


def test_rebuild_obligations_as_the_refresh_hook(building: Any, other_project: Any, personas: Any) -> None:
    """rebuild_obligations(facts_by_pk, as_of, pks) writes what the facts say, and moves the version
    only when a row changes."""
    from egovpm.projects.facts import project_facts_batch
    from egovpm.projects.models import Project
    from egovpm.reports import obligations
    from egovpm.reports.models import ReportObligation

    ReportObligation.objects.all().delete()
    projects = list(Project.objects.filter(pk__in=[building.pk, other_project.pk]).select_related("lead_department"))
    as_of = dt.date(2026, 11, 20)
    before = obligations.current_version()
    assert (
        obligations.rebuild_obligations(
            project_facts_batch(projects=projects, as_of=as_of), as_of, [p.pk for p in projects]
        )
        == 1
    )
    assert set(ReportObligation.objects.values_list("period", "status")) == {
        ("2025-H1", "overdue"),
        ("2025", "overdue"),
        ("2026-H1", "overdue"),
        ("2026", "pending"),
    }
    stamp = obligations.current_version()
    assert stamp != before
    again = project_facts_batch(projects=projects, as_of=as_of)
    assert obligations.rebuild_obligations(again, as_of, [p.pk for p in projects]) == 0
    assert obligations.current_version() == stamp
    # a project gone from the facts keeps its rows; a pk with no project loses them
    assert obligations.rebuild_obligations({}, as_of, [building.pk]) == 0
    assert ReportObligation.objects.filter(project=building).count() == 4
    # the repair sweep rebuilds everything from the records
    ReportObligation.objects.all().delete()
    assert obligations.rebuild_all(as_of) == 2 - 1  # other_project never entered construction
    assert _stored() == _computed(as_of)


def test_the_cached_matrix_follows_every_change(building: Any, personas: Any, api: Any) -> None:
    """NDRC's matrix (counts and rendered table) is cached under the stamp of the stored rows: a
    submission, then a renamed department, show at once."""
    import re

    from egovpm.accounts.services import department_set

    c = Client()
    assert c.login(username=personas["ndrc"].username, password=PASSWORD)

    def moa_h1() -> str:
        page = c.get(reverse("web:report_home")).content.decode()
        cell = re.search(r"department=moa&period=2025-H1[^>]*>\s*(.*?)</a>", page, re.S)
        assert cell is not None
        return re.sub(r"<[^>]+>", " ", cell.group(1)).split()

    assert moa_h1() == ["0", "0", "1", "0"]  # on time, late, overdue, not due
    url = f"/api/v1/projects/{building.pk}/reports/2025-H1/submit"
    assert api("staff_a").post(url, {"sections": SECTIONS}, format="json").status_code == 201
    assert moa_h1() == ["0", "1", "0", "0"]
    # renamed as an administrator does it (audited: the page is kept under the records' stamp, ADR 0020)
    department_set(actor=None, code="moa", name="改名后的部委")
    assert "改名后的部委" in c.get(reverse("web:report_home")).content.decode()


def _shown(o: Any) -> tuple[Any, ...]:
    """What a list row of an obligation shows or exports, and the records behind it."""
    return (
        o.project.pk,
        o.project.lead_department.name,
        o.code,
        o.due,
        o.status,
        o.first_submitted_at,
        o.timeliness,
        o.state.latest_version,
        [s.pk for s in o.submissions],
        o.return_record.pk if o.return_record else None,
        sorted((r, a.pk) for r, a in o.acknowledgements.items()),
    )


def test_the_rows_obligations_read_only_their_periods_and_equal_the_full_computation(clock: Any) -> None:
    """obligations_of_rows reads a fresh row's own period's submissions alone (no stage events, no
    other period): the same obligations, records, return and 签收 as computing every obligation of
    the rows' projects from all their records — on several days, returned and acknowledged reports
    included."""
    from egovpm import demo
    from egovpm.projects.models import Project
    from egovpm.reports import selectors
    from egovpm.reports.models import ReportObligation
    from egovpm.reports.obligations import ensure_fresh

    demo.load()
    seen: set[str] = set()
    acknowledged = 0
    for day in (clock.today(), dt.date(2027, 2, 1), dt.date(2027, 8, 1)):
        _set_day(clock, day)
        ensure_fresh()
        rows = list(ReportObligation.objects.order_by("department_code", "project_code", "period"))
        assert rows
        full = {}
        projects = selectors._with_report_records(Project.objects.filter(pk__in={r.project_id for r in rows}))
        for p in projects:
            for o in selectors._obligations(p, day, selectors.pack_params(p.regime)):
                full[(p.pk, o.code)] = _shown(o)
        fast = [_shown(o) for o in selectors.obligations_of_rows(rows, day)]
        assert fast == [full[(r.project_id, r.period)] for r in rows], day
        seen |= {o[4] for o in fast}
        acknowledged += sum(1 for o in fast if o[-1])
    assert {"returned", "submitted_on_time", "submitted_late", "overdue", "pending"} <= seen
    assert acknowledged, "some reports were acknowledged"
