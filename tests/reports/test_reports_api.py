"""Progress reports over the API (api.md "Reports", domain.md §6): obligations as of a date,
submission rules, paper submissions, returns, acknowledgements, compliance C4.1/C4.2, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from .conftest import SECTIONS, finish, start_construction

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def url(project: Any, suffix: str = "") -> str:
    return f"/api/v1/projects/{project.pk}/reports{suffix}"


def statuses(api: Any, persona: str, project: Any, **params: str) -> dict[str, str]:
    r = api(persona).get(url(project), params)
    assert r.status_code == 200, r.content
    return {x["period"]: x["status"] for x in r.json()["results"]}


def submit(api: Any, persona: str, project: Any, period: str, **body: Any) -> Any:
    return api(persona).post(url(project, f"/{period}/submit"), {"sections": SECTIONS, **body}, format="json")


def test_draft_project_owes_nothing(project: Any, api: Any) -> None:
    data = api("staff_a").get(url(project)).json()
    assert data["count"] == 0 and data["results"] == []


def test_obligations_are_derived_from_the_stage_events(building: Any, api: Any) -> None:
    data = api("staff_a").get(url(building)).json()
    assert [x["period"] for x in data["results"]] == ["2025-H1", "2025", "2026-H1", "2026"]
    first = data["results"][0]
    assert first == {
        **first,
        "kind": "half_year",
        "due_date": "2025-07-31",
        "status": "overdue",
        "submitted_at": None,
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
    }
    assert {x["period"]: x["status"] for x in data["results"]} == {
        "2025-H1": "overdue",
        "2025": "overdue",
        "2026-H1": "overdue",
        "2026": "pending",
    }
    assert data["results"][1]["due_date"] == "2026-01-31" and data["results"][1]["kind"] == "annual"


def test_as_of_before_on_and_after_the_due_day(building: Any, api: Any) -> None:
    assert statuses(api, "ndrc", building, as_of="2025-02-28") == {}
    assert statuses(api, "ndrc", building, as_of="2025-07-31")["2025-H1"] == "pending"
    assert statuses(api, "ndrc", building, as_of="2025-08-01")["2025-H1"] == "overdue"
    assert api("ndrc").get(url(building), {"as_of": "31/07/2025"}).status_code == 400


def test_submit_on_time_then_immutable(building: Any, api: Any, personas: Any) -> None:
    r = submit(api, "staff_a", building, "2026-H1")  # now is 2026-11-20: late for 2026-H1
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted_late" and body["version"] == 1
    assert body["sections"] == SECTIONS
    again = submit(api, "leader_a", building, "2026-H1")
    assert again.status_code == 409 and again.json()["code"] == "already_submitted"
    assert api("staff_a").get(url(building, "/2026-H1")).json()["sections"] == SECTIONS


def test_paper_submission_with_its_real_time(building: Any, api: Any) -> None:
    r = submit(api, "staff_a", building, "2025-H1", submitted_at="2025-07-31T23:59:59+08:00")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "submitted_on_time"
    r = submit(api, "staff_a", building, "2025", submitted_at="2026-01-31T16:00:00Z")  # 1 Feb 00:00 Beijing
    assert r.json()["status"] == "submitted_late"
    s = statuses(api, "mof", building)
    assert s["2025-H1"] == "submitted_on_time" and s["2025"] == "submitted_late"
    # as of a date before the paper submission, it did not exist yet
    assert statuses(api, "mof", building, as_of="2025-07-30")["2025-H1"] == "pending"


@pytest.mark.parametrize(
    "submitted_at, field",
    [
        ("2026-11-20T18:00:01+08:00", "date_in_future"),  # one second after now (10:00 UTC)
        ("2027-01-01T00:00:00+08:00", "date_in_future"),
        ("2025-06-30T12:00:00+08:00", "before_period_end"),
        ("2025-08-01T12:00:00", "no_offset"),
        ("yesterday", "invalid_instant"),
    ],
)
def test_paper_submission_time_is_checked(building: Any, api: Any, submitted_at: str, field: str) -> None:
    r = submit(api, "staff_a", building, "2025-H1", submitted_at=submitted_at)
    assert r.status_code == 400, r.content
    assert r.json()["details_codes"]["submitted_at"]["code"] == field
    assert statuses(api, "staff_a", building)["2025-H1"] == "overdue"  # nothing written


def test_submitting_now_exactly_is_accepted(building: Any, api: Any) -> None:
    r = submit(api, "staff_a", building, "2025-H1", submitted_at=NOW.isoformat())
    assert r.status_code == 201


def test_period_not_ended(building: Any, api: Any) -> None:
    r = submit(api, "staff_a", building, "2026")
    assert r.status_code == 409 and r.json()["code"] == "period_not_ended"
    r = submit(api, "staff_a", building, "2027-H1")
    assert r.status_code == 409 and r.json()["code"] == "period_not_ended"


def test_period_ended_on_the_day_after_its_last_day(building: Any, api: Any, clock: Any) -> None:
    clock.set_now(dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=clock.BEIJING))
    assert submit(api, "staff_a", building, "2026").json()["code"] == "period_not_ended"
    clock.set_now(dt.datetime(2027, 1, 1, 0, 0, 0, tzinfo=clock.BEIJING))
    r = submit(api, "staff_a", building, "2026")
    assert r.status_code == 201 and r.json()["status"] == "submitted_on_time"


def test_period_outside_construction_or_malformed(building: Any, api: Any) -> None:
    r = submit(api, "staff_a", building, "2024")
    assert r.status_code == 404 and r.json()["code"] == "no_obligation"
    assert submit(api, "staff_a", building, "2025-H2").status_code == 400


def test_sections_are_checked(building: Any, api: Any) -> None:
    r = api("staff_a").post(url(building, "/2025-H1/submit"), {"sections": {"progress": "x"}}, format="json")
    assert r.status_code == 400 and "sections.problems" in r.json()["details"]
    r = api("staff_a").post(url(building, "/2025-H1/submit"), {"sections": {**SECTIONS, "extra": "x"}}, format="json")
    assert r.status_code == 400 and r.json()["details_codes"]["sections.extra"]["code"] == "unknown_section"
    empty = dict.fromkeys(SECTIONS, "  ")
    assert api("staff_a").post(url(building, "/2025-H1/submit"), {"sections": empty}, format="json").status_code == 400
    assert api("staff_a").post(url(building, "/2025-H1/submit"), {}, format="json").status_code == 400


def test_return_resubmit_and_history(building: Any, api: Any, clock: Any) -> None:
    clock.set_now(dt.datetime(2025, 7, 20, 9, 0, tzinfo=clock.BEIJING))
    assert submit(api, "staff_a", building, "2025-H1").json()["status"] == "submitted_on_time"
    clock.set_now(dt.datetime(2025, 7, 25, 9, 0, tzinfo=clock.BEIJING))
    assert api("ndrc").post(url(building, "/2025-H1/return"), {}, format="json").status_code == 400
    r = api("ndrc").post(url(building, "/2025-H1/return"), {"comment": "请补充招标情况"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "returned" and r.json()["returned"]["comment"] == "请补充招标情况"
    again = api("ndrc").post(url(building, "/2025-H1/return"), {"comment": "再退"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_returned"
    # returned: not acknowledgeable, editable again
    assert api("mof").post(url(building, "/2025-H1/acknowledge")).json()["code"] == "not_submitted"
    clock.set_now(dt.datetime(2025, 8, 10, 9, 0, tzinfo=clock.BEIJING))  # after the due day
    assert statuses(api, "staff_a", building)["2025-H1"] == "returned"  # returned is never overdue
    revised = {**SECTIONS, "tendering": "补充：公开招标两次。"}
    r = api("staff_a").post(url(building, "/2025-H1/submit"), {"sections": revised}, format="json")
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "submitted_on_time"  # lateness judged by the first submission
    assert body["version"] == 2 and body["sections"]["tendering"] == "补充：公开招标两次。"
    assert body["submitted_at"].startswith("2025-07-20")
    assert [h["kind"] for h in body["history"]] == ["submitted", "returned", "submitted"]
    assert submit(api, "staff_a", building, "2025-H1").json()["code"] == "already_submitted"
    # as of the day of the return, it stood returned
    assert statuses(api, "ndrc", building, as_of="2025-07-25")["2025-H1"] == "returned"
    assert statuses(api, "ndrc", building, as_of="2025-07-24")["2025-H1"] == "submitted_on_time"


def test_resubmission_on_paper_cannot_predate_the_return(building: Any, api: Any, clock: Any) -> None:
    submit(api, "staff_a", building, "2025-H1", submitted_at="2025-08-02T10:00:00+08:00")
    api("ndrc").post(url(building, "/2025-H1/return"), {"comment": "补充"}, format="json")
    r = submit(api, "staff_a", building, "2025-H1", submitted_at="2025-08-03T10:00:00+08:00")
    assert r.status_code == 400 and r.json()["details_codes"]["submitted_at"]["code"] == "before_return"


def test_both_recipients_acknowledge_and_the_department_sees_it(building: Any, api: Any) -> None:
    submit(api, "staff_a", building, "2025-H1")
    r = api("ndrc").post(url(building, "/2025-H1/acknowledge"))
    assert r.status_code == 200 and r.json()["acknowledgements"]["ndrc"] and not r.json()["acknowledgements"]["mof"]
    assert api("ndrc").post(url(building, "/2025-H1/acknowledge")).json()["code"] == "already_acknowledged"
    assert api("mof").post(url(building, "/2025-H1/acknowledge")).status_code == 200
    seen = api("staff_a").get(url(building, "/2025-H1")).json()
    assert seen["acknowledgements"]["ndrc"] and seen["acknowledgements"]["mof"]
    assert [h["kind"] for h in seen["history"]] == ["submitted", "acknowledged_ndrc", "acknowledged_mof"]
    # nothing to acknowledge yet
    assert api("mof").post(url(building, "/2025/acknowledge")).json()["code"] == "not_submitted"


def test_mof_reads_everything_and_changes_nothing_else(building: Any, api: Any) -> None:
    submit(api, "staff_a", building, "2025-H1")
    assert api("mof").get(url(building)).status_code == 200
    assert api("mof").get(url(building, "/2025-H1")).status_code == 200
    assert submit(api, "mof", building, "2025").status_code == 403
    assert api("mof").post(url(building, "/2025-H1/return"), {"comment": "x"}, format="json").status_code == 403


def test_participating_department_reads_but_does_not_submit(building: Any, api: Any) -> None:
    assert api("staff_p").get(url(building)).status_code == 200
    assert submit(api, "staff_p", building, "2025-H1").status_code == 403
    assert submit(api, "staff_b", building, "2025-H1").status_code == 404


def test_finishing_mid_year(project: Any, personas: Any, api: Any) -> None:
    building = start_construction(project, personas, dt.date(2024, 9, 1))
    finish(building, personas, dt.date(2025, 4, 15))
    assert list(statuses(api, "ndrc", building)) == ["2024", "2025-H1", "2025"]


def test_construction_starting_30_june_vs_1_july(personas: Any, api: Any) -> None:
    from conftest import make_project

    june = start_construction(make_project(personas["staff_a"], name="六月开工"), personas, dt.date(2025, 6, 30))
    july = start_construction(make_project(personas["staff_a"], name="七月开工"), personas, dt.date(2025, 7, 1))
    assert "2025-H1" in statuses(api, "ndrc", june)
    assert "2025-H1" not in statuses(api, "ndrc", july) and "2025" in statuses(api, "ndrc", july)


def test_every_write_is_audited(building: Any, api: Any) -> None:
    from egovpm.audit.models import AuditEvent

    submit(api, "staff_a", building, "2025-H1")
    api("ndrc").post(url(building, "/2025-H1/return"), {"comment": "补充"}, format="json")
    submit(api, "staff_a", building, "2025-H1")
    api("mof").post(url(building, "/2025-H1/acknowledge"))
    actions = list(
        AuditEvent.objects.filter(project_id=str(building.pk), action__startswith="report.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["report.submit", "report.return", "report.resubmit", "report.acknowledge"]
    assert AuditEvent.objects.filter(action="report.submit").get().new["sections"] == SECTIONS


def test_refusals_write_nothing(building: Any, api: Any) -> None:
    from egovpm.reports.models import ReportSubmission

    submit(api, "staff_a", building, "2026")  # period not ended
    submit(api, "staff_a", building, "2025-H1", submitted_at="2030-01-01T00:00:00+08:00")
    submit(api, "mof", building, "2025-H1")
    assert not ReportSubmission.objects.exists()


# --- compliance ---------------------------------------------------------------------------------------


def compliance(api: Any, project: Any, **params: str) -> dict[str, Any]:
    r = api("ndrc").get(f"/api/v1/projects/{project.pk}/compliance", params)
    return {x["rule"]: x for x in r.json()["results"]}


def test_c41_c42_not_applicable_before_construction(project: Any, api: Any) -> None:
    c = compliance(api, project)
    assert c["C4.1"]["status"] == "not_applicable" and c["C4.2"]["status"] == "not_applicable"
    assert "not part of the product yet" not in c["C4.1"]["message"]


def test_c41_overdue_is_a_violation_and_c42_late_a_warning(building: Any, api: Any) -> None:
    c = compliance(api, building, as_of="2025-07-31")
    assert c["C4.1"]["status"] == "pass" and c["C4.2"]["status"] == "pass"
    c = compliance(api, building, as_of="2025-08-01")
    assert c["C4.1"]["status"] == "fail" and c["C4.1"]["severity"] == "violation"
    assert "2025年上半年" in c["C4.1"]["message_zh"] and "2025-H1" in c["C4.1"]["message_en"]
    submit(api, "staff_a", building, "2025-H1", submitted_at="2025-08-01T00:00:00+08:00")
    c = compliance(api, building, as_of="2025-08-01")
    assert c["C4.1"]["status"] == "pass"
    assert c["C4.2"]["status"] == "fail" and c["C4.2"]["severity"] == "warning"
    # as of the day before the late submission, it was overdue, not late
    c = compliance(api, building, as_of="2025-07-31")
    assert c["C4.1"]["status"] == "pass" and c["C4.2"]["status"] == "pass"


def test_pack_due_dates_are_parameters() -> None:
    from egovpm.rules import engine

    pack = engine.load_pack("r2007")
    for rule in ("C4.1", "C4.2"):
        params = pack.rule(rule).params
        assert params["half_year_due"] == {"month": 7, "day": 31}
        assert params["annual_due"] == {"month": 1, "day": 31}


def test_portfolio_query_count_does_not_grow_with_projects(personas: Any, api: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_project

    def count() -> int:
        client = api("ndrc")
        client.get("/api/v1/reports/portfolio")  # warm caches (pack, token user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/reports/portfolio").status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        start_construction(make_project(personas["staff_a"], name=f"项目{i}"), personas, dt.date(2025, 3, 1))
    two = count()
    for i in range(2, 5):
        start_construction(make_project(personas["staff_a"], name=f"项目{i}"), personas, dt.date(2025, 3, 1))
    assert count() == two


def test_report_audit_rows_keep_the_chain(building: Any, api: Any) -> None:
    from egovpm.audit.models import AuditEvent
    from egovpm.audit.services import audit_chain_verify

    submit(api, "staff_a", building, "2025-H1", submitted_at="2025-07-30T09:00:00+08:00")
    api("ndrc").post(url(building, "/2025-H1/return"), {"comment": "补充"}, format="json")
    submit(api, "staff_a", building, "2025-H1")
    api("mof").post(url(building, "/2025-H1/acknowledge"))
    mine = set(AuditEvent.objects.filter(action__startswith="report.").values_list("seq", flat=True))
    assert len(mine) == 4
    assert not mine & set(audit_chain_verify())


def test_refused_writes_change_nothing_across_personas(building: Any, api: Any, personas: Any) -> None:
    """The spot check of test_refusals_change_nothing, for the report endpoints (that test stops at an
    earlier builder): refused submits, returns and acknowledgements write nothing. The builders set up
    the state an endpoint needs (a submitted report for a return) whoever asks, so the rows are counted
    after the set-up and again after the refused request."""
    from django.db import transaction

    from api.endpoints import Ctx
    from api.endpoints_reports import ENDPOINTS
    from egovpm.reports.models import ReportAcknowledgement, ReportReturn, ReportSubmission

    def rows() -> tuple[int, int, int]:
        return (
            ReportSubmission.objects.count(),
            ReportReturn.objects.count(),
            ReportAcknowledgement.objects.count(),
        )

    for persona in ("staff_p", "mof", "staff_b", "expert_other"):
        for e in ENDPOINTS:
            if not e.project_scoped or e.method == "get" or e.name == "report-acknowledge":
                continue
            with transaction.atomic():  # each case from the same starting state, undone afterwards
                call = e.build(Ctx(side="own", persona=persona, project=building, personas=personas))
                before = rows()
                r = getattr(api(persona), e.method)(call.path, data=call.data, format=call.format)
                assert r.status_code in (403, 404), (e.name, persona, r.status_code)
                assert rows() == before, (e.name, persona)
                transaction.set_rollback(True)


def test_sections_must_be_text(building: Any, api: Any) -> None:
    """{"progress": 5} is refused, not stored as "5"; nothing is submitted."""
    r = submit(api, "staff_a", building, "2026-H1", sections={**SECTIONS, "progress": 5})
    assert r.status_code == 400
    assert statuses(api, "ndrc", building)["2026-H1"] == "overdue"
