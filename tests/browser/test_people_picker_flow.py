"""In a real browser (issue 15 item 4): NDRC ticks an inspector, searches the list by another
inspector's name, ticks them too — the first stays ticked — and opens the inspection with both.
The list reads name（department）· role; no login name is shown."""

from __future__ import annotations

from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login
from conftest import make_project


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_keeps_the_ticked_people(live_server: Any, personas: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from egovpm.inspections.models import Inspection

    for persona, name in (("inspector_assigned", "马检查"), ("inspector_other", "王检查")):
        personas[persona].display_name = name
        personas[persona].save(update_fields=["display_name"])
    project = make_project(personas["staff_a"], name="浏览器选人测试项目")
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900}).new_page()
            login(page, base, "ndrc")
            page.goto(f"{base}/projects/{project.pk}/inspections/")
            form = page.locator("#inspection-open-form")
            options = form.locator("#id_inspectors-options")
            expect(options).to_contain_text("马检查（")
            expect(options).not_to_contain_text("inspector_assigned")
            form.locator("input[name=scope][value=progress]").check()
            options.locator("label:has-text('马检查') input").check()
            form.locator("input.people-search").fill("无此人")
            expect(options.locator("label")).to_have_count(1)  # nobody matches: only the ticked one
            expect(options).not_to_contain_text("王检查")
            form.locator("input.people-search").fill("王检查")
            expect(options.locator("label")).to_have_count(2)  # the match, and the ticked one kept
            expect(options.locator("label:has-text('马检查') input")).to_be_checked()
            options.locator("label:has-text('王检查') input").check()
            page.screenshot(path=str(ARTIFACTS / "people-picker-search.png"), full_page=True)
            form.locator("input[name=started_on]").fill("2026-11-02")
            form.locator("button[type=submit]").click()
            page.wait_for_load_state()
            inspection = Inspection.objects.get(project=project)
            chosen = {x.user.username for x in inspection.inspectors.all()}
            assert chosen == {"inspector_assigned", "inspector_other"}
        finally:
            browser.close()
