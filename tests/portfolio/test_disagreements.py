"""Self-assessment on report submissions (on_track / at_risk / off_track: optional in the API, asked
for in the UI) and the cockpit's "红灯但自评正常": red or amber projects whose latest report says on
track, worst first — today from the stored verdicts, on a past date from the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_project
from reports.conftest import SECTIONS, start_construction

pytestmark = pytest.mark.django_db


def _submit(personas: dict[str, Any], project: Any, period: str, assessment: str, when: str | None = None) -> None:
    from egovpm.reports.services import report_submit

    report_submit(
        actor=personas["staff_a"],
        project_id=project.pk,
        period=period,
        sections=SECTIONS,
        self_assessment=assessment,
        submitted_at=when,
    )


def test_a_red_project_reporting_itself_on_track_is_listed_first(personas: dict[str, Any]) -> None:
    from egovpm.portfolio.selectors import summary

    says_fine = start_construction(make_project(personas["staff_a"], name="自评正常"), personas, dt.date(2025, 3, 1))
    says_risk = start_construction(make_project(personas["staff_a"], name="自评有风险"), personas, dt.date(2025, 3, 1))
    _submit(personas, says_fine, "2025-H1", "on_track")
    _submit(personas, says_risk, "2025-H1", "at_risk")
    data = summary(user=personas["ndrc"])
    assert data["health"]["red"] == 2  # both owe later reports (C4.1)
    assert data["health_disagreements"] == 1
    assert [d["code"] for d in data["disagreements"]] == [says_fine.code]
    c = Client()
    c.force_login(personas["ndrc"])
    panel = c.get(reverse("web:cockpit")).content.decode().split('id="cockpit-disagreements"')[1].split("</section>")[0]
    assert says_fine.code in panel and says_risk.code not in panel
    # the department sees its own disagreement; another department nothing
    assert summary(user=personas["staff_a"])["health_disagreements"] == 1
    assert summary(user=personas["staff_b"])["health_disagreements"] == 0
    # on a date before that report, it had said nothing: no disagreement then
    assert summary(user=personas["ndrc"], as_of=dt.date(2025, 7, 15))["health_disagreements"] == 0
    # its latest report now says at risk: the disagreement ends
    _submit(personas, says_fine, "2025", "at_risk")
    assert summary(user=personas["ndrc"])["health_disagreements"] == 0
    assert summary(user=personas["ndrc"], as_of=dt.date(2026, 11, 19))["health_disagreements"] == 0


def test_the_api_takes_the_self_assessment_optionally_and_refuses_another_value(
    personas: dict[str, Any], api: Any
) -> None:
    project = start_construction(make_project(personas["staff_a"]), personas, dt.date(2025, 3, 1))
    url = reverse("api:report-submit", kwargs={"project_id": project.pk, "period": "2025-H1"})
    bad = api("staff_a").post(url, {"sections": SECTIONS, "self_assessment": "fine"}, format="json")
    assert bad.status_code == 400 and "self_assessment" in bad.json()["details"]
    assert api("staff_a").post(url, {"sections": SECTIONS}, format="json").status_code == 201  # optional
    url = reverse("api:report-submit", kwargs={"project_id": project.pk, "period": "2025"})
    made = api("staff_a").post(url, {"sections": SECTIONS, "self_assessment": "off_track"}, format="json")
    assert made.status_code == 201 and made.json()["self_assessment"] == "off_track"


def test_the_report_form_asks_for_the_self_assessment(personas: dict[str, Any]) -> None:
    from egovpm.reports.models import ReportSubmission

    project = start_construction(make_project(personas["staff_a"]), personas, dt.date(2025, 3, 1))
    c = Client()
    c.force_login(personas["staff_a"])
    url = reverse("web:report_submit", kwargs={"pk": project.pk, "period": "2025-H1"})
    page = c.get(reverse("web:report_detail", kwargs={"pk": project.pk, "period": "2025-H1"})).content.decode()
    assert 'name="self_assessment"' in page and "正常" in page
    refused = c.post(url, {**SECTIONS, "confirm": "on"})
    assert refused.status_code == 400 and not ReportSubmission.objects.exists()
    assert c.post(url, {**SECTIONS, "confirm": "on", "self_assessment": "at_risk"}).status_code == 302
    assert ReportSubmission.objects.get().self_assessment == "at_risk"
