"""NDRC picks inspectors by name and department (issue 15 item 4), not by login name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_inspector_choices_read_name_and_department(personas: dict[str, Any], project: Any) -> None:
    inspector = personas["inspector_other"]
    inspector.display_name = "王检查"
    inspector.save(update_fields=["display_name"])
    c = Client()
    c.force_login(personas["ndrc"])
    body = c.get(reverse("web:project_inspections", kwargs={"pk": project.pk})).content.decode()
    assert f"王检查（{inspector.department.name}）" in body  # the checkbox's label
    assert "bound method" not in body
    assert "(inspector_other)" not in body
