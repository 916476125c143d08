"""The report pages: project tab, one report (fill in, submit, return, acknowledge), the recipients'
portfolio with drill-down and XLSX, the department's list, 待办 items, navigation."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(personas: dict[str, Any]) -> Any:
    def client(persona: str) -> Client:
        c = Client()
        c.force_login(personas[persona])
        return c

    return client


def page(project: Any, period: str, action: str = "") -> str:
    name = f"web:report_{action}" if action else "web:report_detail"
    return reverse(name, kwargs={"pk": project.pk, "period": period})


def form_data(**extra: Any) -> dict[str, Any]:
    return {**SECTIONS, "confirm": "on", "self_assessment": "on_track", **extra}


def test_tab_lists_obligations_with_status(building: Any, browser: Any) -> None:
    c = browser("staff_a")
    html = c.get(reverse("web:project_reports", kwargs={"pk": building.pk})).content.decode()
    assert "2025年上半年" in html and "逾期未报" in html and "未到期" in html
    assert "填写并报送" in html
    # the first release's URL of the tab leads to it
    detail = c.get(
        reverse("web:project_detail", kwargs={"pk": building.pk}) + "?tab=reports", follow=True
    ).content.decode()
    assert "建设情况报告" in detail
    # as of an earlier date
    html = c.get(reverse("web:project_reports", kwargs={"pk": building.pk}), {"as_of": "2025-07-31"}).content.decode()
    assert "逾期未报" not in html and "2025年度" in html


def test_tab_for_a_draft_project(project: Any, browser: Any) -> None:
    html = browser("mof").get(reverse("web:project_reports", kwargs={"pk": project.pk})).content.decode()
    assert "尚未进入建设阶段" in html or "未进入建设" in html or "没有" in html


def test_report_page_is_prefilled_and_submits(building: Any, browser: Any) -> None:
    c = browser("staff_a")
    html = c.get(page(building, "2025-H1")).content.decode()
    assert 'name="progress"' in html and "批复初步设计" in html  # pre-filled from the stage events
    assert "【待填写：本期招标投标情况" in html  # what only the department knows is a prompt to replace
    assert "报送后不可修改" in html or "不可修改" in html
    # without the confirmation nothing is submitted
    r = c.post(page(building, "2025-H1", "submit"), {**SECTIONS})
    assert r.status_code == 400
    r = c.post(page(building, "2025-H1", "submit"), form_data())
    assert r.status_code == 302
    html = c.get(page(building, "2025-H1")).content.decode()
    assert "迟报" in html and SECTIONS["problems"] in html and 'name="progress"' not in html


def test_paper_submission_from_the_form(building: Any, browser: Any, api: Any) -> None:
    c = browser("leader_a")
    r = c.post(page(building, "2025-H1", "submit"), form_data(submitted_at="2025-07-31T23:59"))
    assert r.status_code == 302
    status = api("staff_a").get(f"/api/v1/projects/{building.pk}/reports/2025-H1").json()
    assert status["status"] == "submitted_on_time" and status["submitted_at"] == "2025-07-31T23:59:00+08:00"
    r = c.post(page(building, "2025", "submit"), form_data(submitted_at="2030-01-01T00:00"))
    assert r.status_code == 400 and "submitted_at" in r.content.decode()


def test_period_not_ended_is_explained(building: Any, browser: Any) -> None:
    c = browser("staff_a")
    html = c.get(page(building, "2026")).content.decode()
    assert "起可报送" in html or "可报送" in html
    r = c.post(page(building, "2026", "submit"), form_data())
    assert r.status_code == 409


def test_ndrc_returns_and_department_resubmits(building: Any, browser: Any) -> None:
    browser("staff_a").post(page(building, "2025-H1", "submit"), form_data())
    ndrc = browser("ndrc")
    assert "退回修改" in ndrc.get(page(building, "2025-H1")).content.decode()
    assert ndrc.post(page(building, "2025-H1", "return"), {"comment": ""}).status_code == 400
    assert ndrc.post(page(building, "2025-H1", "return"), {"comment": "请补充招标情况"}).status_code == 302
    html = browser("staff_a").get(page(building, "2025-H1")).content.decode()
    assert "请补充招标情况" in html and "修改后重新报送" in html
    assert SECTIONS["tendering"] in html  # the returned text is the starting point
    assert browser("staff_a").post(page(building, "2025-H1", "submit"), form_data()).status_code == 302


def test_recipients_acknowledge_and_department_sees_it(building: Any, browser: Any) -> None:
    browser("staff_a").post(page(building, "2025-H1", "submit"), form_data())
    for who in ("ndrc", "mof"):
        c = browser(who)
        assert "签收" in c.get(page(building, "2025-H1")).content.decode()
        assert c.post(page(building, "2025-H1", "acknowledge")).status_code == 302
    html = browser("staff_a").get(page(building, "2025-H1")).content.decode()
    assert html.count("已签收") == 2


def test_roles_on_the_pages(building: Any, browser: Any) -> None:
    assert browser("mof").post(page(building, "2025-H1", "submit"), form_data()).status_code == 403
    assert browser("staff_p").post(page(building, "2025-H1", "submit"), form_data()).status_code == 403
    assert browser("staff_b").get(page(building, "2025-H1")).status_code == 404
    assert browser("staff_a").post(page(building, "2025-H1", "return"), {"comment": "x"}).status_code == 403
    assert browser("sys_admin").get(reverse("web:report_home")).status_code == 403
    assert browser("staff_a").get(reverse("web:report_portfolio_export")).status_code == 403


def test_portfolio_drill_down_and_export(building: Any, browser: Any) -> None:
    from openpyxl import load_workbook

    browser("staff_a").post(page(building, "2025-H1", "submit"), form_data())
    c = browser("mof")
    html = c.get(reverse("web:report_home")).content.decode()
    assert "甲部委" in html and "2025年上半年" in html and 'id="report-matrix"' in html
    drill = c.get(reverse("web:report_home"), {"department": "moa", "period": "2025-H1"}).content.decode()
    assert building.name in drill and "迟报" in drill
    r = c.get(reverse("web:report_portfolio_export"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert "项目明细" in wb.sheetnames


def test_department_list(building: Any, browser: Any) -> None:
    html = browser("staff_a").get(reverse("web:report_home")).content.decode()
    assert building.name in html and "逾期未报" in html
    assert building.name not in browser("staff_b").get(reverse("web:report_home")).content.decode()


def test_navigation_entry_replaces_the_placeholder(browser: Any, personas: Any) -> None:
    html = browser("ndrc").get(reverse("web:inbox")).content.decode()
    assert f'href="{reverse("web:report_home")}"' in html and "建设情况报告" in html


def test_inbox_shows_overdue_and_upcoming_obligations(building: Any, browser: Any, clock: Any, api: Any) -> None:
    html = browser("staff_a").get(reverse("web:inbox")).content.decode()
    assert "逾期：2025年上半年建设情况报告" in html
    assert "逾期" not in browser("staff_p").get(reverse("web:inbox")).content.decode().split("已办")[0]
    for period in ("2025-H1", "2025", "2026-H1"):
        api("staff_a").post(
            f"/api/v1/projects/{building.pk}/reports/{period}/submit", {"sections": SECTIONS}, format="json"
        )
    clock.set_now(dt.datetime(2027, 1, 5, 9, 0, tzinfo=clock.BEIJING))
    html = browser("staff_a").get(reverse("web:inbox")).content.decode()
    assert "即将到期：2026年度建设情况报告" in html and "逾期：" not in html
    # recipients see what awaits their acknowledgement
    html = browser("mof").get(reverse("web:inbox")).content.decode()
    assert "签收：2025年上半年建设情况报告" in html
