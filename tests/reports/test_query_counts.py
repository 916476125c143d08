"""Query budgets of the reports API (issue 13): the portfolio with its drill-down page, and the XLSX
export, answer in a number of queries that does not grow with the projects (the export: per chunk
of rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_project

from .conftest import SECTIONS, start_construction

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 20
PORTFOLIO = {
    # the token, the records' stamp (the kept JSON, ADR 0020), which verdicts are stale, the matrix
    # stamp (cached matrix), the departments' names, the page's rows with their projects, their
    # periods' submissions with returns and 签收
    "/api/v1/reports/portfolio": 7,
    "/api/v1/reports/portfolio?department=moa&page_size=5": 7,
    "/api/v1/reports/portfolio?period=2025-H1&page=2&page_size=1": 7,
}


def _grow(personas: dict[str, Any], api: Any, n: int) -> None:
    for i in range(n):
        p = start_construction(make_project(personas["staff_a"], name=f"项目{i}"), personas, dt.date(2025, 3, 1))
        url = f"/api/v1/projects/{p.pk}/reports/2025-H1"
        assert api("staff_a").post(f"{url}/submit", {"sections": SECTIONS}, format="json").status_code == 201
        assert api("ndrc").post(f"{url}/acknowledge").status_code == 200
        if i % 2:  # returned reports name their returner: read with the page, never one query each
            assert api("ndrc").post(f"{url}/return", {"comment": "请补充"}, format="json").status_code == 200


def test_portfolio_api_query_budget(personas: Any, api: Any) -> None:
    client = api("ndrc")
    counts: dict[str, list[int]] = {path: [] for path in PORTFOLIO}
    for n in (SMALL, LARGE - SMALL):
        _grow(personas, api, n)
        for path in PORTFOLIO:
            client.get(path)  # warm-up: the new projects' verdicts and obligations are refreshed
            with CaptureQueriesContext(connection) as ctx:
                body = client.get(path).json()
            assert body["results"], path
            counts[path].append(len(ctx.captured_queries))
    assert all(small == large for small, large in counts.values()), counts
    assert all(counts[p][0] <= pin for p, pin in PORTFOLIO.items()), counts


def test_export_query_count_grows_by_chunk_only(personas: Any, api: Any, monkeypatch: Any) -> None:
    from egovpm.reports import selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 1000)
    client = api("mof")
    counts = []
    for n in (SMALL, LARGE - SMALL):
        _grow(personas, api, n)
        client.get("/api/v1/reports/portfolio/export")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/reports/portfolio/export").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
