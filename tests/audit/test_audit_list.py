"""The 审计日志 page as a list (issue 15 item 5): sorted by its columns, filtered through the
FilterSet the API shares (audit/filters.py), exported as XLSX beside the CSV with exactly the
rows of the filter and sort, for the audit administrator only, at a query cost flat in rows."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows
from list_pages import signed_in as login

pytestmark = pytest.mark.django_db

AUDIT = reverse("web:audit")
THING = "tests.thing"


def record(personas: dict[str, Any], who: str, name: str, n: int = 1) -> None:
    from egovpm.audit.actions import AuditAction
    from egovpm.audit.services import audit_record

    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor=personas[who],
                action=AuditAction.PROJECT_UPDATE,
                object_type=THING,
                object_id=f"{who}-{i}",
                new={"name": name},
            )


@pytest.fixture
def events(personas: dict[str, Any]) -> None:
    record(personas, "staff_b", "乙")
    record(personas, "ndrc", '=HYPERLINK("x")')
    record(personas, "staff_a", "甲")


def seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'<td class="mono">(\d+)</td>', html)]


def test_sorting_by_a_column_orders_the_page_the_xlsx_and_the_csv(events: None) -> None:
    admin = login("audit_admin")
    up = admin.get(AUDIT, {"object_type": THING, "sort": "actor"}).content.decode()
    down = admin.get(AUDIT, {"object_type": THING, "sort": "-actor"}).content.decode()
    assert len(seqs(up)) == 3 and seqs(up) == list(reversed(seqs(down)))
    assert 'aria-sort="ascending"' in up
    assert seqs(admin.get(AUDIT, {"object_type": THING}).content.decode()) == sorted(seqs(up), reverse=True)

    rows = export_rows(admin, AUDIT, {"object_type": THING, "sort": "actor"})
    assert [r[3] for r in rows[1:]] == ["ndrc", "staff_a", "staff_b"]  # by login name
    assert [r[0] for r in rows[1:]] == seqs(up)  # the rows the page shows, in its order
    body = admin.get(reverse("web:audit_export"), {"object_type": THING, "sort": "-actor"}).content
    listed = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r[2] for r in listed[1:]] == ["staff_b", "staff_a", "ndrc"]  # the CSV is kept, sorted alike
    assert admin.get(AUDIT, {"sort": "hash;drop"}).status_code == 200  # not a column: the default order


def test_a_filter_narrows_page_and_xlsx_and_text_stays_text(events: None, personas: dict[str, Any]) -> None:
    admin = login("audit_admin")
    rows = export_rows(admin, AUDIT, {"object_type": THING, "actor": "ndrc"})
    assert len(rows) == 2 and rows[1][3] == "ndrc" and rows[1][6] == "project.update"
    assert '=HYPERLINK(\\"x\\")' in rows[1][13]  # the JSON of the change, as text, not a formula
    from egovpm.audit.models import CHANNELS, AuditEvent

    event = AuditEvent.objects.get(seq=rows[1][0])
    assert rows[1][5] == "修改项目信息" and rows[1][4] == str(CHANNELS[event.channel])  # labels beside codes
    assert rows[1][2] == (personas["ndrc"].display_name or "ndrc")  # the actor by name, as the page
    page = admin.get(AUDIT, {"object_type": THING, "actor": "ndrc"}).content.decode()
    assert seqs(page) == [rows[1][0]]


def test_a_refused_filter_is_a_400_naming_the_field_and_exports_nothing(events: None) -> None:
    admin = login("audit_admin")
    r = admin.get(AUDIT, {"date_from": "2026-1-5", "object_type": THING})
    html = r.content.decode()
    assert r.status_code == 400 and "YYYY-MM-DD" in html and not seqs(html)
    assert 'name="date_from"' in html[html.index("YYYY-MM-DD") - 600 : html.index("YYYY-MM-DD")]
    assert admin.get(AUDIT, {"date_from": "2026-1-5", "export": "xlsx"}).status_code == 400


def test_only_the_audit_administrator_reads_or_exports_it(events: None) -> None:
    for persona in ("staff_a", "ndrc", "sys_admin"):
        assert login(persona).get(AUDIT, {"export": "xlsx"}).status_code == 403


def test_the_sorted_page_costs_the_same_queries_at_2_rows_and_at_20(personas: dict[str, Any]) -> None:
    admin = login("audit_admin")
    params = {"object_type": THING, "sort": "-actor"}
    counts = []
    for who, n in (("staff_a", 2), ("ndrc", 18)):
        record(personas, who, "x", n)
        with CaptureQueriesContext(connection) as ctx:
            html = admin.get(AUDIT, params).content.decode()
        counts.append((len(seqs(html)), len(ctx.captured_queries)))
    assert [c[0] for c in counts] == [2, 20]
    assert counts[0][1] == counts[1][1], counts
