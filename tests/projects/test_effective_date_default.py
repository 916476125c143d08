"""A stage action's effective date defaults to today (issue 15 item 4: dates default to today
where that is the likely answer)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_stage_action_is_dated_today(clock: Any, project: Any, personas: dict[str, Any]) -> None:
    """The effective date of a stage action (提交需求分析 …) is filled with today; it stays editable
    for the date on the approval or acceptance document."""
    c = Client()
    c.force_login(personas["staff_a"])
    html = c.get(reverse("web:project_detail", kwargs={"pk": project.pk})).content.decode()
    forms = html.split('class="confirm"')[1:]
    assert forms, "no stage action offered"
    for form in forms:
        field = form.split('name="effective_date"', 1)[1].split(">", 1)[0]
        assert 'value="2026-11-20"' in field
