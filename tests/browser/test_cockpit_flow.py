"""End to end in a real browser: NDRC signs in and lands on the cockpit (驾驶舱), the charts draw
(ECharts, vendored, under the CSP) with a "以表格查看" toggle, the red-health figure opens the
project list filtered to exactly those projects; a department's staff sees only its own numbers.
Screenshots go to test-artifacts/cockpit-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ndrc_drills_from_the_cockpit_and_a_department_sees_its_own(live_server: Any, personas: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from conftest import make_project

    own = make_project(personas["staff_a"], name="驾驶舱甲部委项目", responsible_leader_name="")  # C2.1: red
    other = make_project(personas["staff_b"], name="驾驶舱乙部委项目")  # green
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"cockpit-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()
            refused: list[str] = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

            login(page, base, "ndrc")
            expect(page.locator("h1")).to_have_text("驾驶舱")  # NDRC's home
            expect(page.locator("[data-chart=health] canvas")).to_be_visible()  # drawn
            expect(page.locator("[data-chart-table=health]")).to_be_hidden()
            page.click("[data-chart-toggle=health]")
            expect(page.locator("[data-chart-table=health]")).to_be_visible()
            expect(page.locator("[data-chart=health]")).to_be_hidden()
            shot(page, "01-ndrc")
            page.click("a[data-figure=red]")
            page.wait_for_load_state()
            assert page.url.endswith("/projects/?health=red")
            expect(page.locator("#project-table")).to_contain_text(own.code)
            expect(page.locator("#project-table")).not_to_contain_text(other.code)
            shot(page, "02-red-projects")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            login(page, base, "staff_b")
            page.click("nav.sidenav a:text-is('驾驶舱')")
            expect(page.locator("h1")).to_have_text("驾驶舱")
            projects = page.locator(".cp-headline .stat").first
            expect(projects.locator("strong")).to_have_text("1")
            page.click("[data-chart-toggle=health]")
            health = page.locator("[data-chart-table=health]")
            expect(health.locator("[data-health=red]")).to_have_text("0")  # moa's red project is not counted
            expect(health.locator("[data-health=green]")).to_have_text("1")
            shot(page, "03-department")
            assert refused == []
        finally:
            browser.close()
