"""End to end in a real browser (clause 5): the lead department's staff download nothing and type
nothing by hand — they import procurements from an XLSX file on the project's 采购 tab, see the
refused file's row errors first, then the good file's register, the 自主可控 shares table and its
ECharts chart (a canvas drawn from the json_script data under the page's CSP).

Screenshots of every step go to test-artifacts/procurement-*.png."""

from __future__ import annotations

import io
from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login

CODE = "91350100M000100Y43"


def _xlsx(path: Any, rows: list[list[Any]]) -> Any:
    from openpyxl import Workbook

    from egovpm.procurement.xlsx import HEADER

    wb = Workbook()
    sheet: Any = wb.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_and_see_the_shares_chart(
    live_server: Any, project: Any, personas: dict[str, Any], tmp_path: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from egovpm.procurement.models import Procurement

    good = _xlsx(
        tmp_path / "good.xlsx",
        [
            [
                "基础软件",
                "公开招标",
                "国产数据库",
                "300000.00",
                "某数据库公司",
                CODE,
                "HT-1",
                "2026-03-15",
                "",
                "是",
                "名录",
                "",
            ],
            ["基础软件", "询价", "备份软件", "100000.00", "某软件公司", CODE, "HT-2", "2026-04-01", "", "否", "", ""],
            [
                "信息安全设备",
                "公开招标",
                "防火墙",
                "500000.00",
                "某安全公司",
                CODE,
                "HT-3",
                "2026-05-01",
                "",
                "是",
                "认证",
                "",
            ],
        ],
    )
    bad = _xlsx(
        tmp_path / "bad.xlsx",
        [["硬件", "公开招标", "", "1.001", "某公司", "91350100M000100Y44", "HT-9", "2026-01-01", "", "是", "", ""]],
    )
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    tab = f"{base}/projects/{project.pk}/procurement/"

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"procurement-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            login(page, base, "staff_a")
            page.goto(tab)
            expect(page.locator("#procurement-import")).to_be_visible()
            shot(page, "1-empty")

            # a bad file: nothing imported, the row and each of its errors listed
            page.set_input_files("#procurement-import input[type=file]", str(bad))
            page.click("#procurement-import button[type=submit]")
            table = page.locator("#import-errors")
            expect(table).to_contain_text("category")
            expect(table).to_contain_text("supplier_credit_code")
            expect(table).to_contain_text("amount")
            assert Procurement.objects.count() == 0
            shot(page, "2-row-errors")

            # the good file: three procurements, the shares table and the chart
            page.set_input_files("#procurement-import input[type=file]", str(good))
            page.click("#procurement-import button[type=submit]")
            expect(page.locator("#procurements tbody tr")).to_have_count(3)
            expect(page.locator(".shares-table")).to_contain_text("基础软件")
            expect(page.locator(".shares-table")).to_contain_text("300000.00 / 400000.00")
            expect(page.locator(".shares-table")).to_contain_text("75.00%")
            chart = page.locator(".shares-chart canvas, .shares-chart svg")
            expect(chart.first).to_be_visible()
            shot(page, "3-shares")
            assert Procurement.objects.count() == 3
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()
