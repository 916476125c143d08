"""End to end in a real browser through trial operation, the risk assessment, archiving, archive
acceptance and completion acceptance (clauses 六 and 七): the lead department starts trial
operation and records the risk assessment (C6.2), its leader passes preliminary acceptance, the
department archives a document, the assigned archivist records the archive acceptance (C7.1), NDRC
passes completion acceptance, and the archive package downloads and verifies.

Screenshots of every step go to test-artifacts/ (gitignored)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login
from conftest import advance, make_project


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_trial_operation_to_completion_acceptance(live_server: Any, personas: dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
    from egovpm.archives.package import bag_verify
    from egovpm.projects.services import assignment_add
    from egovpm.security.models import RiskAssessment

    project = make_project(personas["staff_a"], name="浏览器验收流程测试项目")
    assignment_add(actor=personas["ndrc"], project_id=project.pk, username="archivist_assigned", task="archivist")
    actors = {k: personas[k] for k in ("staff_a", "leader_a", "ndrc")}
    project = advance(project, actors, "construction", start=dt.date(2026, 1, 5))
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    detail = f"{base}/projects/{project.pk}/"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"acceptance-{step}.png"), full_page=True)

    def act(page: Any, label: str) -> None:
        page.click(f"summary:has-text('{label}')")
        page.locator("form.confirm:visible button:has-text('确认')").first.click()
        page.wait_for_load_state()

    def logout(page: Any) -> None:
        page.click("button:has-text('退出登录')")
        page.wait_for_load_state()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="zh-CN", viewport={"width": 1360, "height": 900}, accept_downloads=True
            )
            page = context.new_page()

            # the lead department starts trial operation
            login(page, base, "staff_a")
            page.goto(detail)
            act(page, "开始试运行")
            expect(page.locator(".pagehead .stage")).to_have_text("试运行")
            shot(page, "01-trial-operation")

            # the leader may not pass preliminary acceptance yet: C6.2 explains why
            logout(page)
            login(page, base, "leader_a")
            page.goto(detail)
            expect(page.locator("#why-pass_preliminary_acceptance")).to_contain_text("C6.2")
            shot(page, "02-blocked-by-c62")

            # the risk assessment, on the security tab
            page.goto(detail + "?tab=security")
            page.click("summary:has-text('记录风险评估')")
            page.fill("#assessment-form input[name=assessed_on]", "2026-11-20")  # trial operation began today
            page.fill("#assessment-form input[name=assessor]", "国家信息技术安全研究中心")
            page.fill("#assessment-form textarea[name=summary]", "未发现高风险问题")
            page.fill("#assessment-form textarea[name=residual_risks]", "两项中风险已列入整改计划")
            shot(page, "03-risk-assessment-form")
            page.click("#assessment-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator("#assessments")).to_contain_text("国家信息技术安全研究中心")
            assert RiskAssessment.objects.filter(project=project).count() == 1
            act(page, "通过初步验收")
            expect(page.locator(".pagehead .stage")).to_have_text("验收")
            shot(page, "04-preliminary-acceptance")

            # completion acceptance is blocked by C7.1 until the archive acceptance
            logout(page)
            login(page, base, "ndrc")
            page.goto(detail)
            expect(page.locator("#why-pass_completion_acceptance")).to_contain_text("C7.1")
            shot(page, "05-blocked-by-c71")

            # the department archives a document from the register
            logout(page)
            login(page, base, "staff_a")
            page.goto(detail + "?tab=archives")
            page.locator("#register summary:has-text('归档')").first.click()
            page.locator("#register form.confirm:visible button").first.click()
            page.wait_for_load_state()
            expect(page.locator("#register .badge.ok").first).to_have_text("已归档")
            shot(page, "06-archived")

            # the assigned archivist records the archive acceptance
            logout(page)
            login(page, base, "archivist_assigned")
            page.click("nav.sidenav a:text-is('档案')")
            expect(page.locator("#archive-projects")).to_contain_text("浏览器验收流程测试项目")
            page.click("#archive-projects a:has-text('浏览器验收流程测试项目')")
            page.wait_for_load_state()
            page.fill("#acceptance-form input[name=accepted_on]", "2026-11-19")
            page.fill("#acceptance-form input[name=organizer]", "国家档案局")
            page.select_option("#acceptance-form select[name=result]", "passed")
            page.fill("#acceptance-form textarea[name=opinion]", "文件材料齐全，同意通过档案验收")
            shot(page, "07-archive-acceptance-form")
            page.click("#acceptance-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator("#acceptances")).to_contain_text("国家档案局")
            assert ArchiveAcceptance.objects.get(project=project).result == "passed"

            # NDRC passes completion acceptance; the record and the package are on the archive tab
            logout(page)
            login(page, base, "ndrc")
            page.goto(detail)
            act(page, "通过竣工验收")
            expect(page.locator(".pagehead .stage")).to_have_text("运行维护")
            page.goto(detail + "?tab=archives")
            expect(page.locator("#completion-acceptance")).to_contain_text("发改委验收")
            shot(page, "08-completion-acceptance")
            assert CompletionAcceptance.objects.filter(project=project).count() == 1
            with page.expect_download() as download:
                page.click("#archive-package")
            target = tmp_path / download.value.suggested_filename
            download.value.save_as(target)
            assert target.name.endswith(".zip")
            report = bag_verify(target)
            assert report.ok and report.files >= 3, report.problems  # the document and the catalogues
            context.close()
        finally:
            browser.close()
