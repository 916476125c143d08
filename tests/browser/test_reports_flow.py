"""End to end in a real browser: department staff open a pre-filled progress report, are told to
replace the prompts 【待填写：…】 left in it, and submit it;
the Ministry of Finance finds it in the portfolio, drills down and acknowledges receipt (签收);
the department sees the acknowledgement. Screenshots go to test-artifacts/reports-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login
from reports.conftest import start_construction


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_submit_report_mof_sees_it_in_the_portfolio(live_server: Any, personas: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from conftest import make_project

    project = start_construction(
        make_project(personas["staff_a"], name="浏览器测试报告项目"), personas, dt.date(2025, 3, 1)
    )
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"reports-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            login(page, base, "staff_a")
            expect(page.locator("text=逾期：2025年上半年建设情况报告")).to_be_visible()  # 待办
            shot(page, "01-inbox")
            page.click("nav.sidenav a:text-is('建设情况报告')")
            expect(page.locator("h1")).to_have_text("建设情况报告")
            shot(page, "02-department-list")
            page.click(f"#report-drill tr:has-text('2026年上半年') a:text-is('{project.name}')")
            expect(page.locator("h1")).to_have_text(f"关于{project.name}2026年上半年建设情况的报告")
            expect(page.locator("#id_progress")).to_contain_text("批复初步设计")  # pre-filled
            expect(page.locator("#placeholders-left")).to_contain_text("招标投标")  # prompts to replace
            page.fill("#id_problems", "跨部门数据共享协调难度较大，需加强统筹。")
            shot(page, "03-form")
            page.check("#id_self_assessment_0")  # 正常
            page.check("#id_confirm")
            page.click("#submit-report")
            page.wait_for_load_state()
            # the prompts 【待填写：…】 left in other sections block the submission, named on the form
            expect(page.locator(".errorbox")).to_contain_text("报送前请替换或删除预填的【待填写：…】提示")
            shot(page, "03b-prompts-left")
            for field in ("content", "tendering", "budget_execution"):
                if "【待填写：" in page.input_value(f"#id_{field}"):
                    page.fill(f"#id_{field}", "本期按计划完成，详见附表。")
            page.check("#id_confirm")
            page.click("#submit-report")
            page.wait_for_load_state()
            expect(page.locator(".msg-success")).to_contain_text("报告已报送")
            expect(page.locator("#report-status")).to_have_text("迟报")
            expect(page.locator("[data-section=problems]")).to_have_text("跨部门数据共享协调难度较大，需加强统筹。")
            shot(page, "04-submitted")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            login(page, base, "mof")
            page.click("nav.sidenav a:text-is('建设情况报告')")
            matrix = page.locator("#report-matrix")
            expect(matrix).to_be_visible()
            row = matrix.locator("tr", has_text="甲部委")
            expect(row).to_be_visible()
            shot(page, "05-portfolio")
            page.click("#report-matrix th a:text-is('2026年上半年')")
            drill = page.locator("#report-drill tr", has_text=project.name)
            expect(drill).to_contain_text("迟报")
            shot(page, "06-drill-down")
            drill.locator("a").first.click()
            page.wait_for_load_state()
            page.click("#acknowledge")
            page.wait_for_load_state()
            expect(page.locator(".msg-success")).to_contain_text("已签收")
            shot(page, "07-acknowledged")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            login(page, base, "staff_a")
            page.goto(f"{base}/projects/{project.pk}/reports/2026-H1/")
            expect(page.locator(".rp-acks")).to_contain_text("已签收")
            shot(page, "08-department-sees-receipt")
            # the annual report of 2026 is not due yet: its pre-filled draft is there and is saved
            page.goto(f"{base}/projects/{project.pk}/reports/2026/")
            expect(page.locator("#not-ended")).to_contain_text("次日起可报送")
            expect(page.locator("#id_progress")).to_contain_text("批复初步设计")
            expect(page.locator("#submit-report")).to_have_count(0)
            page.fill("#id_problems", "年度问题草稿。")
            page.click("#save-draft")
            page.wait_for_load_state()
            expect(page.locator(".msg-success")).to_contain_text("草稿已保存")
            expect(page.locator("#id_problems")).to_have_value("年度问题草稿。")
            shot(page, "09-draft-saved")
            context.close()
        finally:
            browser.close()
