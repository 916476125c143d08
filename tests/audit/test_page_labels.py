"""The audit log page shows people's words (issue 15 item 4): action labels, object-type labels
and each object's own name — not `assignment.add`, `projects.assignment` or "Assignment object (…)"."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _visible(html: str) -> str:
    """The page's text without tag attributes (the raw codes stay on hover, in title=)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_audit_page_reads_labels_and_object_names(personas: dict[str, Any], project: Any) -> None:
    c = Client()
    c.force_login(personas["audit_admin"])
    html = c.get(reverse("web:audit"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    text = _visible(html)
    assert "新建项目" in text and "指派项目人员" in text  # project.create, assignment.add
    assert "人员指派" in text and "项目" in text  # projects.assignment, projects.project
    assert project.name in text  # the assignment's own name: its project
    for code in ("assignment.add", "project.create", "projects.assignment", "projects.project", " object ("):
        assert code not in text
    assert 'title="assignment.add"' in html  # the exact code stays on hover


def test_audit_page_lookups_do_not_grow_with_rows(personas: dict[str, Any], project: Any) -> None:
    from egovpm.projects.services import assignment_add

    c = Client()
    c.force_login(personas["audit_admin"])
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("web:audit"))
    for persona in ("expert_other", "inspector_other"):
        if persona in personas:
            assignment_add(actor=personas["ndrc"], project_id=project.pk, username=persona, task=persona.split("_")[0])
    with CaptureQueriesContext(connection) as more:
        c.get(reverse("web:audit"))
    assert len(more) == len(few)


def test_audit_page_names_the_actor_and_the_channel(personas: dict[str, Any], project: Any) -> None:
    """The actor by name (the login name on hover), the channel by its label (网页, 接口 …)."""
    from egovpm.projects.services import assignment_add

    ndrc = personas["ndrc"]
    ndrc.display_name = "发改委周处长"
    ndrc.save(update_fields=["display_name"])
    assignment_add(actor=ndrc, project_id=project.pk, username="inspector_other", task="inspector")
    c = Client()
    c.force_login(personas["audit_admin"])
    html = c.get(reverse("web:audit"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    row = next(r for r in html.split("<tr>") if "指派项目人员" in r)
    cells = [_visible(td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[2] == "发改委周处长" and f'title="{ndrc.username}"' in row
    assert cells[3] == "系统"  # written outside a request: the system channel
    assert ">system<" not in html and ">ui<" not in html
