"""End to end in a real browser (clause 3): department staff make an adjustment request and watch
the live route preview change as they type; the department's leader approves the self-approval;
staff upload the approval document and record the filing with NDRC (备案).

Screenshots of every step go to test-artifacts/budgets-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login


def _in_construction(project: Any, personas: dict[str, Any]) -> Any:
    """moa's project in construction with an approved 1 000 000.00 estimate. The stage is set
    directly (the lifecycle has its own browser test; transactional tests flush other apps'
    migration data their evidence hooks need)."""
    from types import SimpleNamespace

    from django.db import transaction

    from egovpm.budgets.services import LineIn, baseline_on_approval, estimate_put
    from egovpm.projects.models import Project

    lines = [("01", "应用系统", "600000.00"), ("02", "基础设施", "300000.00"), ("03", "预备费", "100000.00")]
    from decimal import Decimal

    estimate_put(
        actor=personas["staff_a"],
        project_id=project.pk,
        total=Decimal("1000000.00"),
        items=[LineIn(c, n, Decimal(a)) for c, n, a in lines],
    )
    Project.objects.filter(pk=project.pk).update(stage="construction")
    project.refresh_from_db()
    event = SimpleNamespace(
        action="approve_preliminary_design",
        effective_date=dt.date(2026, 3, 2),
        approval_reference="发改高技〔2026〕52号",
    )
    with transaction.atomic():
        baseline_on_approval(project, event, personas["ndrc"])  # type: ignore[arg-type]
    return project


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_request_preview_approve_and_file(live_server: Any, project: Any, personas: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from egovpm.budgets.models import Adjustment

    _in_construction(project, personas)
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    tab = f"{base}/projects/{project.pk}/?tab=budgets"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"budgets-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            # 1. staff make a request and watch the route preview while typing
            login(page, base, "staff_a")
            page.goto(tab)
            expect(page.locator(".budgets h3").first).to_have_text("投资概算")
            page.click("summary:has-text('新建调整申请')")
            preview = page.locator("#adj-preview")
            expect(preview).to_contain_text("这里即时显示审批路径")
            page.fill("#id_new_01", "449999.99")
            page.fill("#id_new_02", "450000.01")
            expect(preview.locator("[data-new-total]")).to_have_attribute("data-new-total", "1000000.00")
            expect(preview.locator("[data-route]")).to_have_attribute("data-route", "ndrc_approval")
            expect(preview.locator("[data-reason='over_15_percent']")).to_contain_text("C3.3")
            expect(preview).to_contain_text("不超过概算总投资15%")  # the clause, quoted
            expect(preview.locator("[data-cumulative]")).to_have_attribute("data-cumulative", "0.15000001")
            shot(page, "01-preview-over-15")
            page.fill("#id_new_01", "450000.00")
            page.fill("#id_new_02", "450000.00")
            expect(preview.locator("[data-moved]")).to_have_attribute("data-moved", "150000.00")
            expect(preview.locator("[data-route]")).to_have_attribute("data-route", "self_approval")
            expect(preview.locator("[data-cumulative]")).to_have_attribute("data-cumulative", "0.15")
            page.select_option("#id_reason", "schedule")
            page.fill("#id_description", "按批复的建设规划调整基础设施建设进度")
            shot(page, "02-preview-self-approval")
            page.click("#adjustment-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("第 1 号调整申请已提交")
            expect(page.locator("#adjustment-1")).to_contain_text("待审批")
            shot(page, "03-requested")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            # 2. the department's leader approves it (it is in 待办)
            login(page, base, "leader_a")
            page.click("a:has-text('审批第 1 号概算调整申请')")
            page.wait_for_load_state()
            row = page.locator("#adjustment-1")
            row.locator("summary:has-text('审批')").click()
            expect(row.locator("text=不可撤销")).to_be_visible()
            row.locator("textarea[name=comment]").fill("同意按计划调整。")
            shot(page, "04-leader-decides")
            row.locator("button[value=approve]").click()
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("第 1 号调整已批准")
            expect(page.locator("#adjustment-1")).to_contain_text("尚未报发改委备案")
            shot(page, "05-approved")
            page.click("button:has-text('退出登录')")
            page.wait_for_load_state()

            # 3. staff upload the approval document and record the filing with NDRC
            login(page, base, "staff_a")
            page.goto(f"{base}/projects/{project.pk}/?tab=documents")
            page.set_input_files(
                "#id_file", files=[{"name": "批复.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 approval"}]
            )
            page.fill("#id_title", "关于同意调整单项工程概算的批复")
            page.select_option("#id_stage", "construction")
            page.select_option("#id_category", "adjustment_approval")
            page.click("button:has-text('上传')")
            page.wait_for_load_state()
            page.goto(tab)
            row = page.locator("#adjustment-1")
            row.locator("summary:has-text('报发改委备案')").click()
            row.locator("select[name=document]").select_option(index=1)
            row.locator("input[name=reference]").fill("备案〔2026〕7号")
            shot(page, "06-filing")
            row.locator("button:has-text('登记备案')").click()
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("已报发改委备案")
            expect(page.locator("#adjustment-1")).to_contain_text("已备案")
            shot(page, "07-filed")
            context.close()
        finally:
            browser.close()

    a = Adjustment.objects.get(project=project)
    assert (a.status, a.route, a.filed_on, a.filing_reference) == (
        "approved",
        "self_approval",
        dt.date(2026, 11, 20),
        "备案〔2026〕7号",
    )
