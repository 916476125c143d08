"""End to end in a real browser: NDRC adds an indicator template from the indented-text form, the
evaluator NDRC assigned to a project in operation scores every leaf and rates every approved goal
on the 后评价 tab, and sees the computed scores; C8.2 then passes.

Screenshots of every step go to test-artifacts/ (gitignored)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login
from conftest import advance, make_project

TREE = (
    "运行效率 | 40 | efficiency\n  系统可用性 | 70\n  响应时间 | 30\n"
    "应用效果 | 60 | effect\n  用户满意度 | 50\n  业务覆盖 | 50"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_template_and_post_evaluation(live_server: Any, personas: dict[str, Any]) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from playwright.sync_api import expect, sync_playwright

    from egovpm.documents.services import document_upload
    from egovpm.evaluations.models import PostEvaluation
    from egovpm.projects.selectors import project_compliance
    from egovpm.projects.services import assignment_add

    project = make_project(
        personas["staff_a"], name="浏览器后评价测试项目", construction_goals="建成统一平台\n实现数据共享"
    )
    actors = {k: personas[k] for k in ("staff_a", "leader_a", "ndrc")}
    project = advance(project, actors, "in_operation", start=dt.date(2024, 1, 10))
    assignment_add(actor=personas["ndrc"], project_id=project.pk, username="inspector_assigned", task="evaluator")
    document_upload(
        actor=personas["staff_a"],
        project_id=project.pk,
        file=SimpleUploadedFile("后评价报告.pdf", b"%PDF-1.4 report", content_type="application/pdf"),
        stage="in_operation",
        category="post_evaluation_report",
        title="后评价报告",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"evaluation-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            # NDRC adds the template from the indented text; a wrong sum is refused first
            login(page, base, "ndrc")
            page.click("nav.sidenav a:text-is('评价指标体系')")
            page.fill("#template-form input[name=name]", "浏览器指标体系")
            page.fill("#template-form textarea[name=tree]", TREE.replace("| 30", "| 20"))
            page.click("#template-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator("#template-form")).to_contain_text("100")
            page.fill("#template-form textarea[name=tree]", TREE)
            page.click("#template-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator("#template-tree")).to_contain_text("系统可用性")
            shot(page, "01-template")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            # the evaluator scores against it on the 后评价 tab
            login(page, base, "inspector_assigned")
            page.goto(f"{base}/projects/{project.pk}/post-evaluation/")
            expect(page.locator("#approved-goals")).to_contain_text("实现数据共享")
            page.select_option("#id_template_choice", label="浏览器指标体系 v1")
            page.click("#template-choice button[type=submit]")
            page.wait_for_load_state()
            form = page.locator("#evaluation-form")
            form.locator("input[name=evaluated_on]").fill("2026-11-10")
            form.locator("input[name=organisation]").fill("中国国际工程咨询有限公司")
            form.locator("select[name=conclusion]").select_option("mostly_successful")
            for i, rating in enumerate(("achieved", "partly_achieved")):
                form.locator(f"select[name=goal_{i}_rating]").select_option(rating)
            for name, score in (("leaf_1_1", "90"), ("leaf_1_2", "75"), ("leaf_2_1", "81"), ("leaf_2_2", "66")):
                form.locator(f"input[name={name}]").fill(score)
            shot(page, "02-form")
            form.locator("button[type=submit]").click()
            page.wait_for_load_state()
            section = page.locator("section.evaluation").first
            expect(section).to_contain_text("85.5")
            expect(section).to_contain_text("73.5")
            expect(section).to_contain_text("78.3")
            expect(section).to_contain_text("部分实现")
            shot(page, "03-recorded")
            assert not [e for e in errors if "Content Security Policy" in e], errors
            context.close()
        finally:
            browser.close()
    evaluation = PostEvaluation.objects.get(project=project)
    assert str(evaluation.total_score.normalize()) == "78.3"
    c82 = next(r for r in project_compliance(project=project)["results"] if r.rule == "C8.2")
    assert c82.status == "pass"
