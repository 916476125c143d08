"""Pages whose part is rendered once and kept under the records' stamp (ADR 0020): read again, the
kept part is served; after an audited write every reader sees exactly what a page computed afresh
shows — the same HTML, form tokens aside."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import make_project
from egovpm.web.inbox import computed_afresh

pytestmark = [pytest.mark.django_db, pytest.mark.kept]

PAGES = ("/", "/projects/", "/cockpit/", "/budgets/", "/reports/", "/reviews/", "/archives/", "/inspections/")
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def _main(html: str) -> str:
    """The page's content without its form tokens (masked afresh at every render)."""
    return TOKEN.sub(r"\1", html.split('<main id="main"', 1)[1])


def _read(client: Client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return _main(response.content.decode()), len(seen)


def _tabs(project: Any) -> list[str]:
    from egovpm.web.registry import tabs

    return [t.url(project) for t in tabs()]


@pytest.mark.parametrize("persona", ["ndrc", "staff_a"])
def test_a_kept_page_is_served_until_a_write_and_then_equals_the_page_computed_afresh(
    personas: dict[str, Any], project: Any, other_project: Any, persona: str
) -> None:
    client = Client()
    client.force_login(personas[persona])
    pages = (*PAGES, *_tabs(project))
    for path in pages:
        first, computed = _read(client, path)
        again, served = _read(client, path)
        assert again == first, path
        assert served < computed, (path, served, computed)
    make_project(personas["staff_a"], name="新写入的项目")
    for path in pages:
        kept, _ = _read(client, path)
        with computed_afresh():
            afresh, _ = _read(client, path)
        assert kept == afresh, path
    # the write shows where it belongs: the project list lists it
    assert "新写入的项目" in _read(client, "/projects/")[0]


def test_a_kept_tab_gives_each_browser_its_own_form_token_and_htmx_its_panel(
    personas: dict[str, Any], project: Any
) -> None:
    """The project page's stage-action forms carry the CSRF token: the kept frame is each browser's
    own; htmx's request for the panel alone gets the panel, not the page kept at the same address."""
    from conftest import ready_for

    ready_for(project, "submit_needs_analysis")
    path = f"/projects/{project.pk}/"
    action = f"/projects/{project.pk}/transition/"
    for _ in range(2):
        c = Client(enforce_csrf_checks=True)
        c.force_login(personas["staff_a"])
        page = c.get(path).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.split('id="actions"', 1)[1])
        assert token is not None, "the stage action's form"
        # an unknown action is refused by the view (400), after the CSRF check let the token through
        refused = c.post(action, {"csrfmiddlewaretoken": token.group(1), "action": "no_such_action"})
        assert refused.status_code == 400, refused.status_code
        # the kept frame is served again with a token masked afresh (no two responses alike)
        again = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', c.get(path).content.decode().split('id="actions"', 1)[1]
        )
        assert again is not None and again.group(1) != token.group(1)
        panel = c.get(path, headers={"HX-Request": "true", "HX-Target": "tab-panel"}).content.decode()
        assert "<html" not in panel and "<html" in c.get(path).content.decode()


def test_a_kept_page_or_tab_is_kept_in_each_reader_language(personas: dict[str, Any], project: Any) -> None:
    client = Client()
    client.force_login(personas["staff_a"])
    tabs = (f"/projects/{project.pk}/", f"/projects/{project.pk}/compliance/")
    for path in tabs:  # kept in Chinese first
        assert "阶段进程" in client.get(path).content.decode()
    assert "等待您处理" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for path in tabs:
        assert "Stage timeline" in client.get(path).content.decode()
    assert "Waiting for you" in client.get("/").content.decode()


def test_a_kept_tab_is_not_served_to_its_reader_once_their_department_changed(
    personas: dict[str, Any], project: Any
) -> None:
    """The key names the department and roles read for the request (web.inbox.reader): a part kept
    for the reader as they were is never served to them as they are now, even where the records'
    stamp has not moved (here: the move written without an audit record)."""
    from egovpm.accounts.models import Department, User

    client = Client()
    client.force_login(personas["staff_a"])
    path = f"/projects/{project.pk}/documents/"
    assert client.get(path).status_code == 200  # kept for staff_a of moa
    User.objects.filter(pk=personas["staff_a"].pk).update(department=Department.objects.get(code="mob"))
    assert client.get(path).status_code == 404


def test_the_message_list_is_not_kept_reminders_write_no_audit_record(personas: dict[str, Any], api: Any) -> None:
    from egovpm.notifications.services import notify

    client = api("staff_a")
    assert client.get("/api/v1/messages").json()["count"] == 0
    notify([personas["staff_a"]], "report_due", "报告即将到期")  # as `egovpm remind` does: no audit record
    assert client.get("/api/v1/messages").json()["count"] == 1
