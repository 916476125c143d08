"""End to end in a real browser: NDRC draws an expert panel, three experts give their opinions,
NDRC concludes, and the department submits the proposal (clause 10, rule C10.1).

Follows test_flow.py (sync Playwright, Debian's chromium, live_server); screenshots go to
test-artifacts/reviews-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import PASSWORD, make_project

from .test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_panel_draw_opinions_conclusion_then_proposal(live_server: Any, personas: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from playwright.sync_api import expect, sync_playwright

    from egovpm.accounts.services import user_add
    from egovpm.documents.services import document_upload
    from egovpm.projects.services import project_transition
    from egovpm.reviews.services import expert_profile_set

    experts = [("zhang.expert", "张教授"), ("li.expert", "李研究员"), ("wang.expert", "王高工")]
    for username, name in experts:
        user_add(
            actor=None,
            username=username,
            department_code="agency",
            roles=["expert"],
            password=PASSWORD,
            display_name=name,
        )
        expert_profile_set(actor=personas["ndrc"], username=username, specialties=["gov_apps"], title="研究员")
    # one expert of the lead department: the draw must leave him out
    user_add(actor=None, username="moa.expert", department_code="moa", roles=["expert"], password=PASSWORD)
    expert_profile_set(actor=personas["ndrc"], username="moa.expert", specialties=["gov_apps"])

    project = make_project(personas["staff_a"], name="浏览器测试需求分析项目")
    project_transition(
        actor=personas["staff_a"],
        project_id=project.pk,
        action="submit_needs_analysis",
        effective_date=dt.date(2026, 11, 2),
    )
    from django.conf import settings

    for category, title in (("needs_analysis_report", "需求分析报告"), ("project_proposal", "项目建议书")):
        document_upload(
            actor=personas["staff_a"],
            project_id=project.pk,
            file=SimpleUploadedFile(f"{category}.pdf", f"%PDF-1.4 {title}".encode(), content_type="application/pdf"),
            stage="needs_analysis",
            category=category,
            title=title,
            max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
        )

    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    detail = f"{base}/projects/{project.pk}/"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"reviews-{step}.png"), full_page=True)

    def logout(page: Any) -> None:
        page.click("button:has-text('退出登录')")
        page.wait_for_load_state()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            # The department cannot submit the proposal yet: C10.1 names the missing review.
            login(page, base, "staff_a")
            page.goto(detail)
            expect(page.locator("#why-submit_proposal")).to_contain_text("C10.1")
            expect(page.locator("#why-submit_proposal")).to_contain_text("专家评议")
            shot(page, "01-blocked")
            logout(page)

            # NDRC draws the panel on the project's 专家评议 tab.
            login(page, base, "ndrc")
            page.goto(f"{detail}?tab=reviews")
            expect(page.locator("#panel-form")).to_be_visible()
            page.check("#panel-form input[name=mode][value=draw]")
            page.fill("#panel-form input[name=size]", "3")
            page.check("#panel-form input[name=specialties][value=gov_apps]")
            shot(page, "02-draw-form")
            page.click("#panel-form button:has-text('组建专家组')")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_contain_text("专家评议")
            page.click("summary:has-text('抽取记录')")
            expect(page.locator("text=重放结果与记录的专家组一致")).to_be_visible()
            expect(page.locator("text=moa.expert")).to_be_visible()  # excluded, with the reason
            shot(page, "03-panel")
            review_url = page.url
            logout(page)

            # Three experts give their opinions from their 待办.
            for (username, _name), (recommendation, text) in zip(
                experts,
                (("approve", "需求分析全面，同意。"), ("revise", "建议补充数据共享需求。"), ("approve", "同意。")),
                strict=True,
            ):
                login(page, base, username)
                expect(page.locator("text=请对需求分析报告给出评议意见")).to_be_visible()
                page.click("text=请对需求分析报告给出评议意见")
                page.wait_for_load_state()
                expect(page.locator("text=项目概况")).to_be_visible()
                page.check(f"#opinion-form input[name=recommendation][value={recommendation}]")
                page.fill("#opinion-form textarea[name=text]", text)
                page.click("#opinion-form button:has-text('提交意见')")
                page.wait_for_load_state()
                expect(page.locator(".messages")).to_contain_text("您的意见已提交")
                # independence: only their own opinion shows
                expect(page.locator("article.opinion")).to_have_count(1)
                if username == "li.expert":
                    shot(page, "04-expert-opinion")
                logout(page)

            # NDRC concludes.
            login(page, base, "ndrc")
            page.click("nav.sidenav a:text-is('待办')")  # NDRC lands on the cockpit (ui.md): 待办 is one click
            expect(page.locator("text=专家意见已齐全")).to_be_visible()
            page.goto(review_url)
            expect(page.locator("article.opinion")).to_have_count(3)
            page.check("#conclude-form input[name=conclusion][value=approve]")
            page.fill("#conclude-form textarea[name=text]", "专家组同意该需求分析报告，请按意见完善后报送项目建议书。")
            page.click("#conclude-form button:has-text('记录专家组结论')")
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("专家评议意见已定稿")
            with page.expect_download() as download:
                page.click("a:has-text('下载专家评议意见')")
            assert download.value.suggested_filename.endswith(".docx")
            shot(page, "05-concluded")
            logout(page)

            # The department submits the proposal.
            login(page, base, "staff_a")
            page.goto(detail)
            page.click("summary:has-text('报送项目建议书')")
            page.fill("form.confirm textarea[name=comment]", "附需求分析报告和专家评议意见")
            page.click("form.confirm button:has-text('确认')")
            page.wait_for_load_state()
            expect(page.locator(".pagehead .stage")).to_have_text("项目建议书")
            shot(page, "06-proposal-submitted")
            context.close()
        finally:
            browser.close()
