"""End to end in a real browser: a department creates a project and submits it; NDRC sees it.

Drives Debian's chromium through sync Playwright against pytest-django's live_server. Screenshots
of every step go to test-artifacts/ (gitignored)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    for path in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if os.path.exists(path):
            return path
    pytest.fail("chromium is not installed: run `apt-get install chromium` (the browser tests need it)")


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_department_creates_and_submits_ndrc_sees_it(live_server: Any, personas: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    name = "浏览器测试电子政务项目"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"flow-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            login(page, base, "staff_a")
            expect(page.locator("h1")).to_have_text("待办")
            shot(page, "01-inbox-staff")

            page.click("nav.sidenav a:text-is('项目')")
            page.click("a:text-is('新建项目')")
            page.fill("#id_name", name)
            page.fill("#id_responsible_leader_name", "张三")
            page.fill("#id_responsible_leader_title", "副部长")
            page.fill("#id_business_unit", "业务司")
            page.fill("#id_technical_unit", "信息中心")
            page.fill("#id_construction_goals", "建成统一的业务平台")
            shot(page, "02-create-form")
            page.click("button:has-text('创建项目')")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text(name)
            shot(page, "03-detail-draft")

            page.click("summary:has-text('提交需求分析')")
            expect(page.locator("text=此操作不可撤销").first).to_be_visible()
            page.fill("form.confirm textarea[name=comment]", "需求分析报告已编制完成")
            shot(page, "04-confirm")
            page.click("form.confirm button:has-text('确认')")
            page.wait_for_load_state()
            expect(page.locator(".pagehead .stage")).to_have_text("需求分析")
            shot(page, "05-submitted")

            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()
            expect(page.locator("#id_username")).to_be_visible()

            login(page, base, "ndrc")
            page.click("nav.sidenav a:text-is('项目')")
            row = page.locator("tr", has_text=name)
            expect(row).to_be_visible()
            expect(row.locator(".stage")).to_have_text("需求分析")
            shot(page, "06-ndrc-list")
            context.close()
        finally:
            browser.close()
