"""The budgets pages through Django's test client: the tab, estimate entry, the live preview,
a request, decisions, filing, spending and import, the queue page and 待办 items."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

from .conftest import lines_of, request, upload

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def tab(project: Any) -> str:
    return reverse("web:project_budgets", kwargs={"pk": project.pk})


def test_tab_shows_baseline_current_and_spent_in_wan(built: Any) -> None:
    body = login("mof").get(tab(built)).content.decode()
    assert "概算与调整" in body
    assert "已批复基线" in body
    assert 'title="600,000.00 元"' in body and ">60.00<" in body  # 万元, exact yuan on hover
    assert "新建调整申请" not in body  # MoF only reads


def test_estimate_entry_form_before_approval(project: Any) -> None:
    c = login("staff_a")
    assert "录入投资概算" in c.get(tab(project)).content.decode()
    url = reverse("web:budgets_estimate", kwargs={"pk": project.pk})
    data = {
        "rows": "3",
        "total": "1,000,000.00",
        "line_code_0": "01",
        "line_name_0": "应用系统",
        "line_amount_0": "700000",
        "line_code_1": "02",
        "line_name_1": "预备费",
        "line_amount_1": "300000.001",
    }
    bad = c.post(url, data)
    assert bad.status_code == 400
    assert "最多两位小数" in bad.content.decode()
    assert 'value="700000"' in bad.content.decode()  # what was typed stays
    data["line_amount_1"] = "299999.99"
    assert c.post(url, data).status_code == 302
    body = c.get(tab(project)).content.decode()
    assert "合计不符" in body  # C3.0 says so before the approval does


def test_preview_and_request_through_the_form(built: Any) -> None:
    c = login("staff_a")
    assert "新建调整申请" in c.get(tab(built)).content.decode()
    preview = c.post(
        reverse("web:budgets_preview", kwargs={"pk": built.pk}),
        {"new_01": "449999.99", "new_02": "450000.01", "reason": "optimization", "goals_unchanged": "on"},
        HTTP_HX_REQUEST="true",
    )
    text = preview.content.decode()
    assert 'data-route="ndrc_approval"' in text
    assert 'data-ratio="0.15000001"' in text
    assert 'data-reason="over_15_percent"' in text and "不超过概算总投资15%" in text  # the clause quoted
    ok = c.post(
        reverse("web:budgets_adjustment_create", kwargs={"pk": built.pk}),
        {
            "new_01": "450000.00",
            "new_02": "450000.00",
            "reason": "schedule",
            "goals_unchanged": "on",
            "description": "进度调整",
        },
    )
    assert ok.status_code == 302
    from egovpm.budgets.models import Adjustment

    a = Adjustment.objects.get(project=built)
    assert (a.route, a.ratio) == ("self_approval", "0.15")
    # the leader sees it in 待办 and decides it
    leader = login("leader_a")
    assert "审批第 1 号概算调整申请" in leader.get(reverse("web:inbox")).content.decode()
    assert "批准" in leader.get(tab(built)).content.decode()
    assert (
        login("ndrc")
        .post(reverse("web:budgets_decide", kwargs={"adjustment_id": a.pk}), {"decision": "approve"})
        .status_code
        == 403
    )
    leader.post(
        reverse("web:budgets_decide", kwargs={"adjustment_id": a.pk}), {"decision": "approve", "comment": "同意"}
    )
    a.refresh_from_db()
    assert a.status == "approved"
    assert lines_of(built)["01"] == 450000
    assert "将第 1 号自行调整报发改委备案" in c.get(reverse("web:inbox")).content.decode()
    ndrc_queue = login("ndrc").get(reverse("web:budgets_queue")).content.decode()
    assert "尚未报发改委备案的自行调整" in ndrc_queue and built.name in ndrc_queue


def test_refusals_show_in_chinese(built: Any, personas: dict[str, Any]) -> None:
    staff, leader = personas["staff_a"], login("leader_a")
    first = request(staff, built, {"01": "500000.00", "02": "400000.00"})
    second = request(staff, built, {"03": "30000.00"})
    leader.post(reverse("web:budgets_decide", kwargs={"adjustment_id": first.pk}), {"decision": "approve"})
    page = leader.post(
        reverse("web:budgets_decide", kwargs={"adjustment_id": second.pk}), {"decision": "approve"}, follow=True
    )
    assert "已改报国家发展改革委审批" in page.content.decode()


def test_filing_through_the_form(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.services import adjustment_decide

    a = request(personas["staff_a"], built, {"03": "90000.00"})
    adjustment_decide(actor=personas["leader_a"], adjustment_id=a.pk, decision="approve")
    c = login("staff_a")
    assert "请先在“文件”页签上传调整批复文件" in c.get(tab(built)).content.decode()
    doc = upload(built, personas["staff_a"], "adjustment_approval", "调整批复")
    page = c.post(
        reverse("web:budgets_file", kwargs={"adjustment_id": a.pk}),
        {"filed_on": "2026-11-20", "document": str(doc.pk), "reference": "备案1号"},
        follow=True,
    )
    assert "已报发改委备案" in page.content.decode()
    a.refresh_from_db()
    assert a.filed_on is not None


def test_spending_entry_and_import_report(built: Any) -> None:
    import io

    from openpyxl import Workbook

    c = login("staff_a")
    ok = c.post(
        reverse("web:budgets_expenditure", kwargs={"pk": built.pk}),
        {"line": "01", "spent_on": "2026-11-01", "amount": "1000.00", "voucher": "记-1"},
    )
    assert ok.status_code == 302
    workbook = Workbook()
    workbook.active.append(["单项工程编码", "支出日期", "金额（元）", "凭证号", "备注"])
    workbook.active.append(["09", "2026-11-01", "5.00", "记-2", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "x.xlsx"
    bad = c.post(reverse("web:budgets_import", kwargs={"pk": built.pk}), {"file": buffer})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "本次未导入任何数据" in body and "不存在" in body and "单项工程编码" in body
    template = c.get(reverse("web:budgets_import_template", kwargs={"pk": built.pk}))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_other_department_gets_404(built: Any) -> None:
    c = login("staff_b")
    assert c.get(tab(built)).status_code == 404
    assert c.post(reverse("web:budgets_preview", kwargs={"pk": built.pk}), {}).status_code == 404
    assert c.post(reverse("web:budgets_estimate", kwargs={"pk": built.pk}), {}).status_code == 404


def test_nav_entry_replaces_the_placeholder(personas: dict[str, Any]) -> None:
    body = login("staff_a").get(reverse("web:inbox")).content.decode()
    assert 'href="/budgets/"' in body
    assert login("expert_assigned").get(reverse("web:budgets_queue")).status_code == 403


def test_queue_page_and_api_list_share_one_filterset(built: Any, personas: dict[str, Any], api: Any) -> None:
    """The 概算调整 queue and GET /projects/{id}/adjustments filter through one FilterSet
    (budgets/filters.py, applied in the selectors): route and lead department select the same
    request in both, and a route that does not exist is a 400 in both (the API ignored filters)."""
    lines = lines_of(built)
    first, second = sorted(lines)[:2]
    adjustment = request(
        personas["staff_a"], built, {first: str(lines[first] - 1000), second: str(lines[second] + 1000)}
    )
    assert adjustment.route == "self_approval"
    page, rest = login("staff_a"), api("staff_a")
    url = reverse("api:adjustments", kwargs={"project_id": built.pk})
    moa = built.lead_department.code
    for params, expected in (
        ({}, True),
        ({"route": "self_approval"}, True),
        ({"route": "ndrc_approval"}, False),
        ({"department": moa}, True),
        ({"department": "mob"}, False),
        ({"route": "self_approval", "status": "pending"}, True),
    ):
        queue = page.get(reverse("web:budgets_queue"), params)
        assert queue.status_code == 200, params
        assert (built.code in queue.content.decode()) is expected, params
        listed = [a["number"] for a in rest.get(url, params).json()["results"]]
        assert listed == ([adjustment.number] if expected else []), params
    assert page.get(reverse("web:budgets_queue"), {"route": "fast_track"}).status_code == 400
    assert rest.get(url, {"route": "fast_track"}).status_code == 400


def test_inbox_and_queue_are_bounded_with_the_rest_counted(
    built: Any, personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: 待办 lists the oldest INBOX_LIMIT requests to decide and says how many more there
    are, linking to the 概算调整 page; that page pages each list under its exact count. The number
    of queries is the same however many requests wait."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egovpm.budgets import views

    monkeypatch.setattr(views, "INBOX_LIMIT", 2)
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    leader = login("leader_a")
    counts = []
    for amount in ("10000.00", "20000.00", "30000.00", "40000.00"):
        request(personas["staff_a"], built, {"03": amount})
        leader.get(reverse("web:inbox"))
        with CaptureQueriesContext(connection) as ctx:
            body = leader.get(reverse("web:inbox")).content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[2] == counts[3], counts  # 2, 3 and 4 waiting: the same queries
    assert "审批第 1 号概算调整申请" in body and "审批第 2 号概算调整申请" in body
    assert "审批第 3 号概算调整申请" not in body and "审批第 4 号概算调整申请" not in body
    assert "另有 2 项概算调整申请待审批" in body and f'href="{reverse("web:budgets_queue")}"' in body

    first = leader.get(reverse("web:budgets_queue")).content.decode()
    assert '<span class="count">4</span>' in first  # the section's exact count
    assert "第 1 页，共 2 页（4 项申请）" in first and "self_pending_page=2" in first
    second = leader.get(reverse("web:budgets_queue") + "?self_pending_page=2").content.decode()
    numbers = [n for n in range(1, 5) if f'<td class="mono">{n}</td>' in second]
    assert numbers == [3, 4], numbers


@pytest.mark.kept
def test_the_kept_queue_gives_each_browser_a_form_token_of_its_own(built: Any, personas: dict[str, Any]) -> None:
    """The 概算调整 page is kept under the records' stamp (ADR 0020) with its rows' acknowledge
    forms: each browser of the same NDRC officer gets a token its own CSRF secret accepts."""
    import datetime as dt
    import re

    from egovpm.budgets.models import Adjustment
    from egovpm.budgets.services import adjustment_decide, adjustment_file

    a = request(personas["staff_a"], built, {"03": "90000.00"})
    adjustment_decide(actor=personas["leader_a"], adjustment_id=a.pk, decision="approve")
    doc = upload(built, personas["staff_a"], "adjustment_approval", "调整批复")
    adjustment_file(actor=personas["staff_a"], adjustment_id=a.pk, filed_on=dt.date(2026, 11, 20), document_id=doc.pk)
    action = reverse("web:budgets_acknowledge", kwargs={"adjustment_id": a.pk})
    browsers = []
    for _ in range(2):
        c = Client(enforce_csrf_checks=True)
        assert c.login(username=personas["ndrc"].username, password=PASSWORD)
        page = c.get(reverse("web:budgets_queue")).content.decode()
        form = re.search(rf'action="{re.escape(action)}".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)
        assert form is not None, "the acknowledge form"
        browsers.append((c, form.group(1)))
    # the second browser's page was kept for its own secret, not the first one's
    second, token = browsers[1]
    response = second.post(action, {"csrfmiddlewaretoken": token, "next": reverse("web:budgets_queue")})
    assert response.status_code == 302, response.status_code
    assert Adjustment.objects.get(pk=a.pk).acknowledged_at is not None
    # and the page shows the acknowledgement at once in both browsers
    for c, _token in browsers:
        assert action not in c.get(reverse("web:budgets_queue")).content.decode()
