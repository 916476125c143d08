"""Post-evaluation conclusions in the portfolio (issue 12 item 6): the summary's
`post_evaluations` figure and the cockpit's table, dated (as_of) and scoped, in a fixed number of
queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import body

pytestmark = pytest.mark.django_db


def _record(personas: dict[str, Any], project: Any, report: Any, **overrides: Any) -> Any:
    from egovpm.evaluations.services import post_evaluation_add

    return post_evaluation_add(actor=personas["ndrc"], project_id=project.pk, **body(report, **overrides))


def test_the_summary_counts_conclusions_on_or_before_as_of(
    api: Any, operating: Any, report: Any, personas: dict[str, Any]
) -> None:
    from django.urls import reverse

    _record(personas, operating, report, evaluated_on="2026-11-10", conclusion="mostly_successful")
    url = reverse("api:portfolio-summary")
    figure = api("ndrc").get(url).json()["post_evaluations"]
    assert figure == {"successful": 0, "mostly_successful": 1, "partly_successful": 0, "unsuccessful": 0}
    before = api("ndrc").get(url, {"as_of": "2026-11-09"}).json()["post_evaluations"]
    assert sum(before.values()) == 0  # evaluated the day after
    on_the_day = api("ndrc").get(url, {"as_of": "2026-11-10"}).json()["post_evaluations"]
    assert on_the_day["mostly_successful"] == 1
    # mob's leader sees the portfolio of mob's projects only: moa's evaluation is not counted
    other = api("leader_b").get(url)
    assert other.status_code == 200
    assert sum(other.json()["post_evaluations"].values()) == 0


def test_the_cockpit_shows_the_conclusions_in_chinese(
    client: Any, operating: Any, report: Any, personas: dict[str, Any]
) -> None:
    from django.urls import reverse

    _record(personas, operating, report, conclusion="partly_successful")
    client.force_login(personas["ndrc"])
    html = client.get(reverse("web:cockpit"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="cockpit-evaluations"' in html
    assert "后评价结论" in html
    section = html.split('id="cockpit-evaluations"')[1].split("</section>")[0]
    assert "部分成功" in section or "Partly successful" in section
    assert '<td class="num">1</td>' in section


def test_the_figure_is_one_query_whatever_the_projects(operating: Any, report: Any, personas: dict[str, Any]) -> None:
    from egovpm.core import clock
    from egovpm.evaluations.selectors import conclusion_figures
    from egovpm.projects.models import Project

    _record(personas, operating, report)
    with CaptureQueriesContext(connection) as queries:
        figure = conclusion_figures(Project.objects.all(), clock.today(), True)
    assert len(queries) == 1
    assert figure["mostly_successful"] == 1
