"""The completion-acceptance snapshot on the archives tab reads as words (issue 15 item 4): each
stored verdict's status is its Chinese label (通过, 不适用 …), never the code (pass, not_applicable)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import advance

pytestmark = pytest.mark.django_db


def test_snapshot_statuses_are_labels(project: Any, personas: dict[str, Any]) -> None:
    project = advance(
        project, {k: personas[k] for k in ("staff_a", "leader_a", "ndrc")}, "in_operation", start=dt.date(2026, 1, 5)
    )
    c = Client()
    c.force_login(personas["ndrc"])
    html = c.get(reverse("web:project_archives", kwargs={"pk": project.pk})).content.decode()
    table = html.split('<table class="grid compliance">', 1)[1].split("</table>", 1)[0]
    badges = re.findall(r'<span class="badge (\w+)">([^<]+)</span>', table)
    shown = {label for _cls, label in badges}
    assert "通过" in shown, shown
    assert not shown & {"pass", "fail", "not_applicable", "error"}
    assert ("ok", "通过") in badges
