"""The project tab 监督检查 and its forms: what each role sees and does in the browser (no JS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(personas: dict[str, Any]) -> Any:
    def client(persona: str) -> Client:
        c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        c.force_login(personas[persona])
        return c

    return client


def _tab(project: Any) -> str:
    return reverse("web:project_inspections", kwargs={"pk": project.pk})


def test_the_whole_flow_through_the_forms(web: Any, clock: Any, project: Any, personas: dict[str, Any]) -> None:
    from egovpm.inspections.models import Inspection, RectificationItem

    ndrc = web("ndrc")
    page = ndrc.get(_tab(project)).content.decode()
    assert "组织检查或稽查" in page and "inspector_assigned" in page  # inspectors picked by name
    r = ndrc.post(
        reverse("web:inspections_open", kwargs={"pk": project.pk}),
        {
            "kind": "inspection",
            "scope": ["progress", "archives"],
            "inspectors": ["inspector_assigned"],
            "started_on": "2026-06-01",
        },
    )
    assert r.status_code == 302
    inspection = Inspection.objects.get()
    # the department sees the inspection but no form to record or open
    staff = web("staff_a").get(_tab(project)).content.decode()
    assert inspection.reference in staff and "finding-form" not in staff and "inspection-open-form" not in staff
    inspector = web("inspector_assigned")
    assert "finding-form" in inspector.get(_tab(project)).content.decode()
    finding_url = reverse("web:inspections_finding_add", kwargs={"pk": project.pk, "inspection_id": inspection.pk})
    # a due date before the start: the form comes back with the reason, nothing recorded
    bad = inspector.post(
        finding_url,
        {
            "area": "progress",
            "severity": "major",
            "description": "进度滞后",
            "rectification_required": "on",
            "due_date": "2026-05-01",
        },
    )
    assert bad.status_code == 400 and "不得早于检查开始日期" in bad.content.decode()
    for due in ("2026-06-30", "2026-07-31"):
        r = inspector.post(
            finding_url,
            {
                "area": "progress",
                "severity": "major",
                "description": f"问题{due}",
                "rectification_required": "on",
                "due_date": due,
            },
        )
        assert r.status_code == 302
    clock.set_now(dt.datetime(2026, 6, 10, 2, tzinfo=dt.UTC))
    r = inspector.post(
        reverse("web:inspections_issue", kwargs={"pk": project.pk, "inspection_id": inspection.pk}),
        {"ended_on": "2026-06-10"},
    )
    assert r.status_code == 302
    clock.set_now(NOW)
    first, second = RectificationItem.objects.order_by("finding__seq")
    staff_page = web("staff_a").get(_tab(project)).content.decode()
    assert "下载整改通知书" in staff_page and "逾期" in staff_page  # both items are past due now
    for item in (first, second):
        r = web("staff_a").post(
            reverse("web:rectification_answer", kwargs={"pk": project.pk, "item_id": item.pk}), {"text": "已整改"}
        )
        assert r.status_code == 302
    r = inspector.post(
        reverse("web:rectification_close", kwargs={"pk": project.pk, "item_id": first.pk}), {"comment": "整改到位"}
    )
    assert r.status_code == 302
    r = inspector.post(
        reverse("web:rectification_reopen", kwargs={"pk": project.pk, "item_id": second.pk}),
        {"comment": "材料不足", "due_date": "2026-12-31"},
    )
    assert r.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state, second.due_date) == ("closed", "open", dt.date(2026, 12, 31))
    # NDRC may not close: 403
    assert (
        ndrc.post(
            reverse("web:rectification_close", kwargs={"pk": project.pk, "item_id": second.pk}), {"comment": "好"}
        ).status_code
        == 403
    )


def test_inbox_lists_the_departments_items_and_the_inspectors_work(
    web: Any, clock: Any, project: Any, opened: Any, personas: dict[str, Any]
) -> None:
    from tests.inspections.conftest import add_finding

    from egovpm.inspections.services import inspection_issue

    assert "会同部门：财政部" in web("staff_a").get(_tab(project)).content.decode()  # co-organisers by name
    inbox = web("inspector_assigned").get(reverse("web:inbox")).content.decode()
    assert f"登记 {opened.reference} 的发现问题并下发整改通知" in inbox
    add_finding(opened, personas["inspector_assigned"], due_date="2026-06-30")
    clock.set_now(dt.datetime(2026, 6, 10, 2, tzinfo=dt.UTC))
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=opened.pk, ended_on="2026-06-10")
    clock.set_now(NOW)
    dept = web("staff_a").get(reverse("web:inbox")).content.decode()
    assert f"整改 {opened.reference} 第1项（已逾期）" in dept
    assert opened.reference not in web("staff_b").get(reverse("web:inbox")).content.decode()
    listing = web("inspector_assigned").get(reverse("web:inspections")).content.decode()
    assert opened.reference in listing
    assert opened.reference not in web("inspector_other").get(reverse("web:inspections")).content.decode()


def test_a_refused_answer_comes_back_at_its_item_with_the_reason(
    web: Any, clock: Any, project: Any, opened: Any, personas: dict[str, Any]
) -> None:
    from tests.inspections.conftest import add_finding

    from egovpm.inspections.models import RectificationItem
    from egovpm.inspections.services import inspection_issue

    add_finding(opened, personas["inspector_assigned"], due_date="2026-12-31")
    inspection_issue(actor=personas["inspector_assigned"], inspection_id=opened.pk, ended_on="2026-11-19")
    item = RectificationItem.objects.get()
    url = reverse("web:rectification_answer", kwargs={"pk": project.pk, "item_id": item.pk})
    r = web("staff_a").post(url, {"text": "已整改", "answered_on": "2026-11-18"})  # before the report
    assert r.status_code == 400
    html = r.content.decode()
    assert "不得早于该事项上一步骤的日期" in html and "<details open>" in html
    item.refresh_from_db()
    assert item.state == "open" and not item.events.exists()
    assert "<details open>" not in web("staff_a").get(_tab(project)).content.decode()


def test_c81_leads_to_the_tab_and_an_inspector_lands_on_the_inspections_page(personas: dict[str, Any]) -> None:
    from conftest import PASSWORD
    from egovpm.web.registry import tab_for_rule

    tab = tab_for_rule("C8.1")
    assert tab is not None and tab.key == "inspections"
    c = Client()
    r = c.post(reverse("web:login"), {"username": "inspector_assigned", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("web:inspections")
    r = Client().post(reverse("web:login"), {"username": "staff_a", "password": PASSWORD})
    assert r["Location"] != reverse("web:inspections")
