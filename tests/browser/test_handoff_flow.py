"""End to end in a real browser (issue 15): NDRC is prompted from its 待办 to form the expert panel
of a project waiting in needs analysis and forms it there; the department, which read "waiting for
NDRC", now reads that the panel's opinions are awaited; an expert finds the notice in the header's
message count, opens it and it is read.

Follows test_flow.py (sync Playwright, Debian's chromium, live_server); screenshots go to
test-artifacts/handoff-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import PASSWORD, make_project

from .test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ndrc_prompted_to_form_panel_then_department_and_expert_see_next_step(
    live_server: Any, personas: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from egovpm.accounts.services import user_add
    from egovpm.projects.services import project_transition
    from egovpm.reviews.services import expert_profile_set

    for username, name in (("zhang.expert", "张教授"), ("li.expert", "李研究员"), ("wang.expert", "王高工")):
        user_add(
            actor=None,
            username=username,
            department_code="agency",
            roles=["expert"],
            password=PASSWORD,
            display_name=name,
        )
        expert_profile_set(actor=personas["ndrc"], username=username, specialties=["gov_apps"], title="研究员")
    project = make_project(personas["staff_a"], name="浏览器交接测试项目")
    project_transition(
        actor=personas["staff_a"],
        project_id=project.pk,
        action="submit_needs_analysis",
        effective_date=dt.date(2026, 11, 2),
    )

    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    detail = f"{base}/projects/{project.pk}/"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"handoff-{step}.png"), full_page=True)

    def logout(page: Any) -> None:
        page.click("button:has-text('退出登录')")
        page.wait_for_load_state()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            # The department reads who acts next instead of an empty box.
            login(page, base, "staff_a")
            page.goto(detail)
            expect(page.locator(".waiting")).to_contain_text("等待发改委：组织专家组评议需求分析报告")
            shot(page, "01-department-waits")
            logout(page)

            # NDRC's 待办 asks for the panel; the link leads to the project's 专家评议 tab.
            login(page, base, "ndrc")
            page.goto(f"{base}/")
            prompt = page.locator("tr", has_text="浏览器交接测试项目").locator(
                "a", has_text="组织专家组评议需求分析报告"
            )
            expect(prompt).to_be_visible()
            shot(page, "02-ndrc-inbox")
            prompt.click()
            page.wait_for_load_state()
            expect(page.locator("#panel-form")).to_be_visible()
            page.check("#panel-form input[name=mode][value=draw]")
            page.fill("#panel-form input[name=size]", "3")
            page.check("#panel-form input[name=specialties][value=gov_apps]")
            page.click("#panel-form button:has-text('组建专家组')")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_contain_text("专家评议")
            page.goto(f"{base}/")
            expect(page.locator("a", has_text="组织专家组评议需求分析报告")).to_have_count(0)
            expect(page.locator("section[aria-labelledby=done-h]")).to_contain_text("组建专家组")
            shot(page, "03-ndrc-done")
            logout(page)

            # The department now sees that the experts' opinions are awaited.
            login(page, base, "staff_a")
            page.goto(detail)
            expect(page.locator(".waiting")).to_contain_text("等待专家组：专家评议意见（已提交 0/3 份")
            shot(page, "04-department-next-step")
            logout(page)

            # An expert: the header counts the notice; opening it leads to the review and reads it.
            login(page, base, "zhang.expert")
            expect(page.locator("#unread-count")).to_have_text("1")
            page.click("a.messages-link")
            page.wait_for_load_state()
            expect(page.locator("tr.row-unread")).to_contain_text("您已被选入浏览器交接测试项目的专家组")
            shot(page, "05-expert-messages")
            page.click("tr.row-unread button:has-text('打开')")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_contain_text("专家评议")
            expect(page.locator("#unread-count")).to_have_count(0)
            page.click("a.messages-link")
            page.wait_for_load_state()
            expect(page.locator("tr.row-unread")).to_have_count(0)
            shot(page, "06-expert-read")
        finally:
            browser.close()
