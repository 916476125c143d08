"""The adjustment screen reads as people's numbers (issue 15 item 4): the preview shows the ratio
once, as a percentage rounded away from passing (15.000001 % → 15.01 %, exact on hover), and the
form shows the current amounts in the unit the new ones are typed in (元), with the unit named."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(personas: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(personas["staff_a"])
    return c


def test_preview_percent_rounds_up_over_the_limit(built: Any, personas: dict[str, Any]) -> None:
    text = (
        _client(personas)
        .post(
            reverse("web:budgets_preview", kwargs={"pk": built.pk}),
            {"new_01": "449999.99", "new_02": "450000.01", "reason": "optimization", "goals_unchanged": "on"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    visible = re.sub(r"<[^>]*>", " ", text)
    assert "15.01%" in visible and "15.00%" not in visible
    assert "0.15000001" not in visible and "15.000001%" not in visible  # the exact value only on hover
    assert 'title="15.000001%"' in text


def test_adjustment_form_shows_current_amounts_in_yuan(built: Any, personas: dict[str, Any]) -> None:
    body = _client(personas).get(reverse("web:project_budgets", kwargs={"pk": built.pk})).content.decode()
    form = body.split('name="new_01"', 1)[0].rsplit("<table", 1)[1]
    assert "现行概算（元）" in form and "万元" not in form  # one unit on the form, named
    assert ">600,000.00<" in form  # sub-project 01's current amount in 元, as the new one is typed
