"""End to end in a real browser: NDRC opens a project waiting for its approval of the proposal,
sees the lead department's record beside the decision (履约档案 panel), follows the link to the full
department record and drills from a figure into the project list; the department's staff reach
their own record from the navigation, and another department's staff cannot open it.
Screenshots go to test-artifacts/record-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ndrc_sees_the_record_beside_its_approval_and_opens_it(live_server: Any, personas: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from conftest import advance, make_project

    earlier = make_project(personas["staff_a"], name="甲部委早先的项目", responsible_leader_name="")  # C2.1 fails
    waiting = make_project(personas["staff_a"], name="待审批的项目建议书")
    waiting = advance(waiting, personas, "proposal", start=dt.date(2026, 10, 1))
    make_project(personas["staff_b"], name="乙部委的项目")
    from egovpm.procurement.services import procurement_create
    from procurement.helpers import body

    procurement_create(actor=personas["staff_a"], project_id=earlier.pk, data=body(amount="300000.00"))
    procurement_create(
        actor=personas["staff_a"],
        project_id=earlier.pk,
        data=body(amount="100000.00", secure_controllable=False, secure_controllable_basis="", contract_no="HT-2"),
    )
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"record-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()
            refused: list[str] = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

            login(page, base, "ndrc")
            page.goto(f"{base}/projects/{waiting.pk}/")
            panel = page.locator("#record-panel")
            expect(panel).to_be_visible()
            expect(panel).to_contain_text("甲部委 履约档案")
            expect(panel.locator("[data-figure=projects]")).to_have_text("2")
            expect(panel.locator("[data-figure=failing]")).not_to_have_text("0")  # the earlier project fails C2.1
            expect(panel.locator("[data-figure=shares]")).to_have_text("75.00%")  # 300,000 of 400,000 by amount
            expect(page.locator("#lead-department-record")).to_have_text("甲部委")
            shot(page, "01-panel")
            page.click("#record-panel-link")
            page.wait_for_url("**/departments/moa/record/")
            expect(page.locator("h1")).to_contain_text("履约档案")
            expect(page.locator("#record-projects")).to_contain_text(earlier.code)
            expect(page.locator("#record-projects")).to_contain_text(waiting.code)
            expect(page.locator("#record-projects")).not_to_contain_text("乙部委的项目")
            expect(page.locator("#record-rules")).to_contain_text("C2.1")
            # the department's 自主可控 shares: procurement's table and its ECharts chart, drawn under the CSP
            expect(page.locator("#record-shares")).to_contain_text("75.00%")
            expect(page.locator("#record-shares .shares-chart canvas")).to_be_visible()
            shot(page, "02-record")
            page.click("#record-rules a[data-rule='C2.1']")
            page.wait_for_url("**/projects/?department=moa&rule=C2.1")
            expect(page.locator("#project-table")).to_contain_text(earlier.code)
            expect(page.locator("#project-table")).not_to_contain_text(waiting.code)
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            login(page, base, "staff_a")
            page.click("nav.sidenav a:text-is('本部门履约档案')")
            page.wait_for_url("**/departments/moa/record/")
            expect(page.locator("#record-projects")).to_contain_text(waiting.code)
            shot(page, "03-own")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            login(page, base, "staff_b")
            response = page.goto(f"{base}/departments/moa/record/")
            assert response is not None and response.status == 404
            assert not refused, refused
        finally:
            browser.close()
