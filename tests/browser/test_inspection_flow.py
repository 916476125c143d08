"""End to end in a real browser through an inspection (clause 八): NDRC opens it on the project's
监督检查 tab picking the inspector by name, the inspector records two findings and issues the
report, the lead department answers both items, the inspector closes one and reopens the other
with a new due date. Screenshots of every step go to test-artifacts/ (gitignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login
from conftest import make_project


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspection_to_rectification(live_server: Any, personas: dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from egovpm.inspections.models import Inspection, RectificationItem

    project = make_project(personas["staff_a"], name="浏览器监督检查测试项目")
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    tab = f"{base}/projects/{project.pk}/inspections/"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"inspection-{step}.png"), full_page=True)

    def logout(page: Any) -> None:
        page.click("button:has-text('退出登录')")
        page.wait_for_load_state()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            # NDRC opens the inspection, picking the inspector by name
            login(page, base, "ndrc")
            page.goto(tab)
            form = page.locator("#inspection-open-form")
            form.locator("select[name=kind]").select_option("inspection")
            form.locator("input[name=scope][value=progress]").check()
            form.locator("input[name=scope][value=budget_execution]").check()
            form.locator("input[name=inspectors][value=inspector_assigned]").check()
            form.locator("input[name=started_on]").fill("2026-11-02")
            shot(page, "01-open-form")
            form.locator("button[type=submit]").click()
            page.wait_for_load_state()
            inspection = Inspection.objects.get(project=project)
            expect(page.locator(f"#inspection-{inspection.pk}")).to_contain_text(inspection.reference)

            # the inspector records two findings and issues the report
            logout(page)
            login(page, base, "inspector_assigned")
            page.goto(tab)
            for area, text in (("progress", "联调进度滞后于批复工期"), ("budget_execution", "部分支出未按概算列支")):
                finding = page.locator("form.finding-form")
                finding.locator("select[name=area]").select_option(area)
                finding.locator("select[name=severity]").select_option("major")
                finding.locator("textarea[name=description]").fill(text)
                finding.locator("input[name=due_date]").fill("2026-12-31")
                finding.locator("button[type=submit]").click()
                page.wait_for_load_state()
                expect(page.locator("table.findings")).to_contain_text(text)
            shot(page, "02-findings")
            page.locator("form.issue-form button[type=submit]").click()
            page.wait_for_load_state()
            expect(page.locator(f"#inspection-{inspection.pk} h3 .badge")).to_have_text("已下发整改通知")
            expect(page.locator("a:has-text('下载整改通知书')")).to_be_visible()
            shot(page, "03-issued")

            # the lead department answers both items
            logout(page)
            login(page, base, "staff_a")
            page.goto(tab)
            for _ in range(2):
                page.locator("table.findings summary:has-text('报送整改情况')").first.click()
                answer = page.locator("form.answer-form:visible").first
                answer.locator("textarea[name=text]").fill("已完成整改，见整改报告")
                answer.locator("button[type=submit]").click()
                page.wait_for_load_state()
            expect(page.locator("table.findings .item-state", has_text="已报送整改情况")).to_have_count(2)
            shot(page, "04-answered")

            # the inspector closes the first and reopens the second with a new due date
            logout(page)
            login(page, base, "inspector_assigned")
            page.goto(tab)
            close = page.locator("form.close-form").first
            close.locator("input[name=comment]").fill("整改到位，同意销号")
            close.locator("button[type=submit]").click()
            page.wait_for_load_state()
            reopen = page.locator("form.reopen-form").first
            reopen.locator("input[name=comment]").fill("证明材料不足，请补充")
            reopen.locator("input[name=due_date]").fill("2027-01-31")
            reopen.locator("button[type=submit]").click()
            page.wait_for_load_state()
            expect(page.locator("table.findings .item-state", has_text="已销号")).to_have_count(1)
            expect(page.locator("table.findings .item-state", has_text="待整改")).to_have_count(1)
            shot(page, "05-closed-and-reopened")
            states = sorted(RectificationItem.objects.filter(project=project).values_list("state", flat=True))
            assert states == ["closed", "open"]
        finally:
            browser.close()
