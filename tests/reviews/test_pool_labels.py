"""The expert pool reads as people's words (issue 15 item 4): specialties by their Chinese names,
experts by name and department — no `gov_apps`, no login names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pool_page_shows_labels_not_codes(pool: dict[str, Any], personas: dict[str, Any]) -> None:
    for user in pool.values():
        user.display_name = f"专家{user.username[-1].upper()}"
        user.save(update_fields=["display_name"])
    c = Client()
    c.force_login(personas["ndrc"])
    html = c.get(reverse("web:review_pool"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    text = re.sub(r"<[^>]*>", " ", table)
    assert "政务应用" in text
    assert "gov_apps" not in text and "data_resources" not in text
    for user in pool.values():
        assert user.display_name in text
        assert user.username not in text
