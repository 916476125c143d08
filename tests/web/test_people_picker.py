"""Choosing people by name (issue 15 item 4): NDRC searches the assignable people by name and
assigns by the listed choice or by name; nobody else learns about users from the search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from egovpm.projects.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _names(personas: dict[str, Any]) -> None:
    """People have names (the personas are created with login names only)."""
    for persona, name in (("archivist_other", "林档案"), ("expert_other", "刘专家"), ("inspector_other", "王检查")):
        personas[persona].display_name = name
        personas[persona].save(update_fields=["display_name"])


def _client(personas: dict[str, Any], persona: str) -> Client:
    c = Client()
    c.force_login(personas[persona])
    return c


def test_ndrc_finds_an_archivist_by_name_with_department_and_role(personas: dict[str, Any]) -> None:
    archivist = personas["archivist_other"]
    name = archivist.label()
    response = _client(personas, "ndrc").get(reverse("web:people_search"), {"role": "archivist", "q": "林"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{name}（{archivist.department.name}）">' in html
    assert "档案" in html  # the role's label, not the code
    assert archivist.username not in html  # never the login name


def test_search_is_ndrc_only(personas: dict[str, Any]) -> None:
    for persona in ("staff_a", "leader_a", "mof", "expert_assigned", "archivist_assigned", "sys_admin", "audit_admin"):
        response = _client(personas, persona).get(reverse("web:people_search"), {"q": "a"})
        assert response.status_code == 403, persona
        assert "option" not in response.content.decode()
    assert Client().get(reverse("web:people_search"), {"q": "a"}).status_code == 302


def test_assigning_by_the_persons_name(personas: dict[str, Any], project: Any) -> None:
    archivist = personas["archivist_other"]
    url = reverse("web:project_assignments", kwargs={"pk": project.pk})
    c = _client(personas, "ndrc")
    response = c.post(url, {"username": archivist.label(), "task": "archivist"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Assignment.objects.filter(project=project, user=archivist, task="archivist").exists()


def test_assigning_by_the_listed_choice_and_by_login_name(personas: dict[str, Any], project: Any) -> None:
    url = reverse("web:project_assignments", kwargs={"pk": project.pk})
    c = _client(personas, "ndrc")
    expert = personas["expert_other"]
    choice = f"{expert.label()}（{expert.department.name}）"
    assert c.post(url, {"username": choice, "task": "expert"}).status_code == 302
    inspector = personas["inspector_other"]
    assert c.post(url, {"username": inspector.username, "task": "inspector"}).status_code == 302
    assert Assignment.objects.filter(project=project, user__in=[expert, inspector]).count() == 2


def test_the_assignments_list_names_people_without_their_login(personas: dict[str, Any], project: Any) -> None:
    archivist = personas["archivist_other"]
    c = _client(personas, "ndrc")
    url = reverse("web:project_assignments", kwargs={"pk": project.pk})
    assert c.post(url, {"username": archivist.label(), "task": "archivist"}).status_code == 302
    html = c.get(url).content.decode()
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    assert "林档案" in table and archivist.department.name in table
    assert archivist.username not in table
