"""消息 and 已办 as lists (issue 15 item 5): each pages, filters through its FilterSet
(notifications/filters.py: a refused value is a 400 naming the field), sorts by its columns and
exports what it shows as XLSX — only the user's own rows — at a query cost flat in rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows
from list_pages import signed_in as login

pytestmark = pytest.mark.django_db

MESSAGES = reverse("web:messages")
DONE = reverse("web:done")


def send(user: Any, kind: str, title: str) -> Any:
    from egovpm.notifications.services import notify

    with transaction.atomic():
        return notify([user], kind, title, email=False)[0]


def did(user: Any, action: Any, object_id: str) -> None:
    from egovpm.audit.services import audit_record

    with transaction.atomic():
        audit_record(actor=user, action=action, object_type="tests.thing", object_id=object_id)


@pytest.fixture
def inbox(personas: dict[str, Any]) -> list[Any]:
    """staff_a: three messages (乙 a chase, read; 甲 a decision; 丙 a formula-like chase); staff_b: one."""
    from egovpm.notifications.services import message_read

    a = personas["staff_a"]
    first = send(a, "chase", "乙 催办")
    message_read(actor=a, message_id=first.pk)
    sent = [first, send(a, "decision_made", "甲 决定"), send(a, "chase", '=HYPERLINK("x") 丙')]
    send(personas["staff_b"], "chase", "别部门的消息")
    return sent


def test_messages_sort_by_a_column_on_the_page_and_in_the_export(inbox: list[Any]) -> None:
    staff = login("staff_a")
    assert sorted(["甲 决定", "乙 催办"]) == ["乙 催办", "甲 决定"]  # by code point: 乙 U+4E59, 甲 U+7532
    html = staff.get(MESSAGES, {"sort": "title"}).content.decode()
    assert html.index("乙 催办") < html.index("甲 决定")
    html = staff.get(MESSAGES, {"sort": "-title"}).content.decode()
    assert html.index("甲 决定") < html.index("乙 催办") and 'aria-sort="descending"' in html
    newest = staff.get(MESSAGES).content.decode()
    assert newest.index("甲 决定") < newest.index("乙 催办")  # default: newest first

    rows = export_rows(staff, MESSAGES, {"sort": "title"})
    assert [r[1] for r in rows[1:]] == sorted(m.title for m in inbox)
    assert '=HYPERLINK("x") 丙' in [r[1] for r in rows[1:]]  # text, not a formula
    assert staff.get(MESSAGES, {"sort": "recipient__password"}).status_code == 200  # ignored


def test_message_filters_narrow_page_and_export(inbox: list[Any]) -> None:
    staff = login("staff_a")
    unread = export_rows(staff, MESSAGES, {"read": "unread", "sort": "title"})[1:]
    assert [r[1] for r in unread] == ['=HYPERLINK("x") 丙', "甲 决定"] and not any(r[5] for r in unread)
    chases = export_rows(staff, MESSAGES, {"kind": "chase", "read": "read"})
    assert [r[1] for r in chases[1:]] == ["乙 催办"] and chases[1][5]  # read, with its time
    page = staff.get(MESSAGES, {"kind": "decision_made"}).content.decode()
    assert "甲 决定" in page and "乙 催办" not in page
    assert export_rows(staff, MESSAGES, {"date_from": "2026-11-21"})[1:] == []  # the clock: 2026-11-20
    assert len(export_rows(staff, MESSAGES, {"date_from": "2026-11-20", "date_to": "2026-11-20"})) == 4


def test_a_refused_filter_is_a_400_naming_the_field(inbox: list[Any]) -> None:
    staff = login("staff_a")
    for url, params, field in (
        (MESSAGES, {"kind": "nonsense"}, "kind"),
        (MESSAGES, {"read": "maybe"}, "read"),
        (MESSAGES, {"date_from": "2026-1-5"}, "date_from"),
        (DONE, {"action": "nonsense"}, "action"),
        (DONE, {"date_to": "yesterday", "export": "xlsx"}, "date_to"),
    ):
        r = staff.get(url, params)
        assert r.status_code == 400 and field in r.content.decode(), (url, params)


def test_a_user_sees_and_exports_only_their_own_messages_and_actions(inbox: list[Any], personas: Any) -> None:
    from egovpm.audit.actions import AuditAction

    did(personas["staff_a"], AuditAction.PROJECT_UPDATE, "a-1")
    other = login("staff_b")
    assert [r[1] for r in export_rows(other, MESSAGES, {})[1:]] == ["别部门的消息"]
    assert all(m.title not in other.get(MESSAGES).content.decode() for m in inbox)
    done_b = export_rows(other, DONE, {"action": "project.update"})
    assert done_b[1:] == []


def test_done_sorts_filters_and_exports(personas: dict[str, Any]) -> None:
    from egovpm.audit.actions import AuditAction

    a = personas["staff_a"]
    did(a, AuditAction.PROJECT_UPDATE, "a-1")
    did(a, AuditAction.PROJECT_CREATE, "a-2")
    did(a, AuditAction.PROJECT_UPDATE, "a-3")
    staff = login("staff_a")
    newest = export_rows(staff, DONE, {"date_from": "2026-11-20"})
    assert [r[2] for r in newest[1:]] == ["修改项目信息", "新建项目", "修改项目信息"]
    by_action = export_rows(staff, DONE, {"sort": "action", "date_from": "2026-11-20"})
    assert [r[2] for r in by_action[1:]] == [
        "新建项目",
        "修改项目信息",
        "修改项目信息",
    ]  # project.create < project.update
    only = export_rows(staff, DONE, {"action": "project.create"})
    assert [r[2] for r in only[1:]] == ["新建项目"]
    page = staff.get(DONE, {"action": "project.create"}).content.decode()
    table = page[page.index("<table") :]
    assert "新建项目" in table and "修改项目信息" not in table


def test_the_lists_cost_the_same_queries_at_2_rows_and_at_20(personas: dict[str, Any]) -> None:
    from egovpm.audit.actions import AuditAction

    a = personas["staff_a"]
    staff = login("staff_a")
    pages = {MESSAGES: {"kind": "chase", "sort": "-title"}, DONE: {"action": "project.update", "sort": "date"}}
    counts: dict[str, list[tuple[int, int]]] = {url: [] for url in pages}
    for n in (2, 18):
        for i in range(n):
            send(a, "chase", f"催办 {n}-{i}")
            did(a, AuditAction.PROJECT_UPDATE, f"{n}-{i}")
        for url, params in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                html = staff.get(url, params).content.decode()
            counts[url].append((html.count("<tr") - 1, len(ctx.captured_queries)))
    assert counts[MESSAGES][0][0] == 2 and counts[MESSAGES][1][0] == 20, counts
    assert counts[DONE][0][0] == 2 and counts[DONE][1][0] == 20, counts
    assert all(small[1] == large[1] for small, large in counts.values()), counts
