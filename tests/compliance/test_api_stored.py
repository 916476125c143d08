"""GET /api/v1/projects/{id}/compliance answers today's compliance from the stored verdict (ADR 0013,
addendum): the same body as the full evaluation — every rule, status and message in both
languages — after changes and after the date alone turns a verdict; a stale verdict is refreshed
first; another date (`as_of`) is still evaluated in full; a fresh verdict costs one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import advance, make_project
from egovpm.compliance import selectors, services
from egovpm.compliance.models import ProjectVerdict
from egovpm.core import clock as clock_module
from egovpm.projects.api import _compliance_data
from egovpm.projects.models import Project
from egovpm.projects.selectors import project_compliance
from egovpm.projects.services import project_update

pytestmark = pytest.mark.django_db


def _full(project: Any, language: str = "zh", as_of: dt.date | None = None) -> dict[str, Any]:
    """The body the endpoint answered before the stored verdicts: the full evaluation."""
    report = project_compliance(project=Project.objects.get(pk=project.pk), as_of=as_of, language=language)
    return _compliance_data(report)


def _get(api: Any, project: Any, query: str = "", language: str = "") -> dict[str, Any]:
    from django.conf import settings

    client = api("ndrc")
    if language:  # the user's explicit choice (the switch's cookie): Accept-Language is never read
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/api/v1/projects/{project.pk}/compliance{query}")
    assert response.status_code == 200, response.content[:300]
    return dict(response.json())


def _failing(body: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in body["results"] if r["status"] in ("fail", "error")]


def test_today_from_the_stored_verdict_equals_the_full_evaluation(personas: dict[str, Any], api: Any) -> None:
    p = make_project(personas["staff_a"], responsible_leader_name="")
    services.refresh(project_ids=[p.pk])
    body = _get(api, p)
    assert body == _full(p)
    assert "C2.1" in _failing(body)  # the leader's name is missing
    row = next(r for r in body["results"] if r["rule"] == "C2.1")
    assert row["message"] == row["message_zh"] and row["message_zh"] and row["message_en"]
    english = _get(api, p, language="en")
    assert english == _full(p, "en")
    assert next(r for r in english["results"] if r["rule"] == "C2.1")["message"] == row["message_en"]


def test_a_change_is_answered_at_once(personas: dict[str, Any], api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p = make_project(personas["staff_a"])
    services.refresh(project_ids=[p.pk])
    assert "C2.1" not in _failing(_get(api, p))
    # the change's after-commit refresh does not run (it is best effort): the read refreshes
    monkeypatch.setattr(services, "_schedule_refresh", lambda pk: None)
    project_update(actor=personas["staff_a"], project_id=p.pk, changes={"responsible_leader_name": ""})
    row = ProjectVerdict.objects.get(pk=p.pk)
    assert row.evaluated_generation != row.generation  # stale in the database
    body = _get(api, p)
    assert "C2.1" in _failing(body) and body == _full(p)
    row = ProjectVerdict.objects.get(pk=p.pk)
    assert row.evaluated_generation == row.generation  # and refreshed by the read


def test_a_due_date_passing_turns_the_answer_with_no_write(personas: dict[str, Any], api: Any, clock: Any) -> None:
    # in construction since 1 March 2025: the first half of 2026 is due on 31 July 2026
    clock.set_now(dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC))
    p = advance(make_project(personas["staff_a"]), personas, "construction", start=dt.date(2024, 11, 1))
    from egovpm.reports.services import report_submit

    sections = {"progress": "推进。", "content": "一期。", "tendering": "招标。", "budget_execution": "投资。"}
    sections["problems"] = "无。"
    for period in ("2025-H1", "2025"):
        report_submit(actor=personas["staff_a"], project_id=p.pk, period=period, sections=sections)
    clock.set_now(dt.datetime(2026, 7, 31, 15, 59, tzinfo=dt.UTC))  # 23:59 on 31 July in Beijing
    before = _get(api, p)
    assert "C4.1" not in _failing(before) and before == _full(p)
    assert before["as_of"] == "2026-07-31"
    clock.set_now(dt.datetime(2026, 7, 31, 16, 0, tzinfo=dt.UTC))  # 00:00 on 1 August: overdue
    after = _get(api, p)
    assert "C4.1" in _failing(after) and after == _full(p)
    assert after["as_of"] == "2026-08-01"


def test_another_date_is_evaluated_in_full(personas: dict[str, Any], api: Any, clock: Any) -> None:
    clock.set_now(dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC))
    p = advance(make_project(personas["staff_a"]), personas, "construction", start=dt.date(2024, 11, 1))
    services.refresh(project_ids=[p.pk])
    day = dt.date(2025, 12, 31)
    body = _get(api, p, f"?as_of={day.isoformat()}")
    assert body["as_of"] == "2025-12-31" and body == _full(p, as_of=day)
    assert body != _get(api, p)  # today's answer differs (the 2025 reports are due by now)
    assert _get(api, p, f"?as_of={clock_module.today().isoformat()}") == _get(api, p)


def test_no_fresh_verdict_to_be_had_falls_back_to_the_full_evaluation(
    personas: dict[str, Any], api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project(personas["staff_a"], responsible_leader_name="")
    # a change in flight holds the row: the refresh skips it and the row stays stale
    monkeypatch.setattr(services, "refresh", lambda **kwargs: 0)
    assert selectors.stored_report(p, "zh") is None
    body = _get(api, p)
    assert body == _full(p) and "C2.1" in _failing(body)


def test_a_fresh_verdict_costs_one_query(personas: dict[str, Any], api: Any) -> None:
    p = make_project(personas["staff_a"])
    client = api("ndrc")
    path = f"/api/v1/projects/{p.pk}/compliance"
    client.get(path)  # warm-up: the row refreshed, per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    # the token with its user and roles, the records' stamp (the answer is kept under it, ADR 0020;
    # computed afresh here), the project in scope, its stored verdict
    assert len(sql) == 4, "\n".join(sql)
    assert sum("compliance_projectverdict" in s for s in sql) == 1
