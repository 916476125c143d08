"""Issue 15 item 4 (date defaults): the risk-assessment and archive-acceptance forms open with
today's date (Beijing) in the date field — as YYYY-MM-DD, the only value a browser's date input
keeps (a Chinese 2026/11/20 was dropped: the field showed empty and the form then said the date
was required)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(personas: dict[str, Any]) -> Any:
    def client(persona: str) -> Client:
        c = Client()
        c.force_login(personas[persona])
        return c

    return client


def date_value(html: str, name: str) -> str:
    tag = re.search(rf'<input type="date" name="{name}"[^>]*>', html)
    assert tag is not None, f"no date input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_risk_assessment_form_defaults_to_today(project: Any, browser: Any, clock: Any) -> None:
    # 2026-11-20 16:30 UTC is already the 21st in Beijing
    clock.set_now(dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC))
    html = browser("staff_a").get(reverse("web:project_security", kwargs={"pk": project.pk})).content.decode()
    assert date_value(html, "assessed_on") == "2026-11-21"


def test_the_archive_acceptance_form_defaults_to_today(project: Any, browser: Any, clock: Any) -> None:
    html = browser("archivist_assigned").get(reverse("web:project_archives", kwargs={"pk": project.pk})).content
    assert date_value(html.decode(), "accepted_on") == clock.today().isoformat()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_render_iso_dates_in_every_language(language: str) -> None:
    from egovpm.archives.forms import AcceptanceForm
    from egovpm.security.forms import RiskAssessmentForm, SystemForm

    day = dt.date(2026, 11, 20)
    with translation.override(language):
        for form, name in (
            (AcceptanceForm(initial={"accepted_on": day}), "accepted_on"),
            (RiskAssessmentForm(initial={"assessed_on": day}), "assessed_on"),
            (SystemForm(initial={"filing_date": day}), "filing_date"),
        ):
            assert date_value(str(form[name]), name) == "2026-11-20"
