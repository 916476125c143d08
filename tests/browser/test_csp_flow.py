"""In a real browser: the main pages under the Content-Security-Policy (core/csp.py) report no
violation, and what used to be inline JavaScript still works from web/static/web/app.js — htmx tab
switching, the budgets live preview, the withdraw confirmation (data-confirm), the reviews filter
that submits on change (data-autosubmit) — and Swagger UI renders under its own policy.

Violations are caught twice: the `securitypolicyviolation` DOM event (an init script, which CSP
does not govern) and Chromium's console ("Refused to …"). Screenshots go to test-artifacts/csp-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from browser.test_budgets_flow import _in_construction
from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = e.sourceFile + ':' + e.lineNumber;
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + where);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_csp_violation_and_htmx_still_works(
    live_server: Any, project: Any, personas: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    _in_construction(project, personas)
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    console: list[str] = []
    violations: list[str] = []

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"csp-{step}.png"), full_page=True)

    def collect(page: Any, where: str) -> None:
        page.wait_for_load_state("networkidle")
        violations.extend(f"{where}: {v}" for v in page.evaluate("window.__csp || []"))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            context.add_init_script(WATCH)
            page = context.new_page()
            page.on(
                "console",
                lambda m: (
                    console.append(f"{page.url}: {m.text}")
                    if "Content Security Policy" in m.text or "Refused to" in m.text
                    else None
                ),
            )

            login(page, base, "staff_a")
            expect(page.locator("h1")).to_have_text("待办")
            collect(page, "inbox")
            for path in ("/projects/", "/budgets/", "/reports/", "/reviews/", "/archives/"):
                page.goto(base + path)
                collect(page, path)

            # htmx tab switching: the panel is swapped in and app.js moves the selection
            page.goto(f"{base}/projects/{project.pk}/")
            collect(page, "detail")
            tabs = page.locator("nav.tabs a[role=tab]")
            assert tabs.count() >= 3
            for i in range(tabs.count()):
                tab = tabs.nth(i)
                key = tab.get_attribute("data-tab")
                url = tab.get_attribute("href").split("#")[0]  # each tab is a page of its own
                with page.expect_response(
                    lambda r, url=url: r.url.endswith(url) and r.request.headers.get("hx-request") == "true"
                ):
                    tab.click()
                expect(tab).to_have_class("tab active")
                expect(tab).to_have_attribute("aria-selected", "true")
                expect(page.locator("nav.tabs a[aria-selected=true]")).to_have_count(1)
                assert page.url.endswith(url), (key, page.url)
                collect(page, f"tab {key}")
            shot(page, "01-tabs")

            # the budgets live preview (htmx on input) and the withdraw confirmation (data-confirm)
            page.goto(f"{base}/projects/{project.pk}/?tab=budgets")
            page.click("summary:has-text('新建调整申请')")
            preview = page.locator("#adj-preview")
            page.fill("#id_new_01", "450000.00")
            page.fill("#id_new_02", "450000.00")
            expect(preview.locator("[data-route]")).to_have_attribute("data-route", "self_approval")
            page.select_option("#id_reason", "schedule")
            page.fill("#id_description", "按批复的建设规划调整基础设施建设进度")
            page.click("#adjustment-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator("#adjustment-1")).to_contain_text("待审批")
            collect(page, "budgets")
            shot(page, "02-budgets")
            dialogs: list[str] = []
            page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.locator("#adjustment-1 button:has-text('撤回')").click()
            page.wait_for_timeout(300)
            assert dialogs == ["确定撤回该申请？此操作不可撤销。"]
            expect(page.locator("#adjustment-1")).to_contain_text("待审批")  # cancelled: nothing sent
            page.once("dialog", lambda d: d.accept())
            page.locator("#adjustment-1 button:has-text('撤回')").click()
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("第 1 号调整申请已撤回")
            collect(page, "withdrawn")

            # the reviews filter submits itself when the status changes (data-autosubmit)
            page.goto(f"{base}/reviews/")
            values = page.locator("#status option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
            with page.expect_navigation():
                page.select_option("#status", values[0])
            assert f"status={values[0]}" in page.url
            collect(page, "reviews filter")

            # Swagger UI under its own policy (no inline script: drf-spectacular's split view)
            page.goto(f"{base}/api/v1/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("egovpm API")
            expect(page.locator(".opblock").first).to_be_visible()
            collect(page, "docs")
            shot(page, "03-docs")

            page.goto(f"{base}/projects/{project.pk}/")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()
            login(page, base, "audit_admin")
            page.goto(f"{base}/audit/")
            collect(page, "audit")
        finally:
            browser.close()

    assert not violations, "CSP violations:\n" + "\n".join(violations)
    assert not console, "CSP messages in the console:\n" + "\n".join(console)
