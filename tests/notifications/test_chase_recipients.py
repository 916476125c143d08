"""The chase form names its recipients as people (issue 15 item 4): name, department and role,
never the login name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_chase_recipients_read_name_department_and_role(project: Any, personas: dict[str, Any]) -> None:
    staff = personas["staff_a"]
    staff.display_name = "张办事"
    staff.save(update_fields=["display_name"])
    c = Client()
    c.force_login(personas["ndrc"])
    html = c.get(reverse("web:project_chase", kwargs={"pk": project.pk})).content.decode()
    select = html.split('name="to"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r">([^<]+)</option>", select)
    assert f"张办事（{staff.department.name}） · 项目建设部门经办人" in options, options
    assert not any(staff.username in o for o in options)
