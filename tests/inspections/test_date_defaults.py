"""Date fields default to today where that is the likely answer (issue 15 item 4): the department's
rectification answer is dated today (Beijing) unless it says otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_answer_form_is_dated_today(clock: Any, project: Any, opened: Any, personas: dict[str, Any]) -> None:
    from tests.inspections.conftest import add_finding

    from egovpm.inspections.services import inspection_issue

    add_finding(opened, personas["inspector_assigned"], due_date="2026-12-31")
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=opened.pk, ended_on="2026-11-19")
    c = Client()
    c.force_login(personas["staff_a"])
    html = c.get(reverse("web:project_inspections", kwargs={"pk": project.pk})).content.decode()
    form = html.split('class="form answer-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="answered_on" value="2026-11-20"' in form  # NOW is 2026-11-20 in Beijing
