"""End to end in a real browser (issue 15 item 5): the 档案 and 项目 lists sorted by a column,
filtered, and exported — the downloaded XLSX holds exactly the rows the filtered page shows.

Follows test_flow.py (sync Playwright, Debian's chromium, live_server); screenshots go to
test-artifacts/lists-*.png."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from conftest import make_project

from .test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_archive_list_sorted_filtered_and_exported(live_server: Any, personas: dict[str, Any]) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    for name in ("乙 档案浏览器项目", "甲 档案浏览器项目", "丙 其他项目"):
        make_project(personas["staff_a"], name=name)
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    url = f"{live_server.url}{reverse('web:archives')}"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="zh-CN", viewport={"width": 1360, "height": 900}, accept_downloads=True
            )
            page = context.new_page()
            login(page, live_server.url, "staff_a")
            page.goto(url)
            names = page.locator("#archive-projects tbody tr td:first-child a")
            expect(names).to_have_count(3)

            page.click("#archive-projects thead a:has-text('项目')")
            page.wait_for_load_state()
            ascending = names.all_inner_texts()
            page.click("#archive-projects thead a:has-text('项目')")
            page.wait_for_load_state()
            assert names.all_inner_texts() == list(reversed(ascending))
            page.screenshot(path=str(ARTIFACTS / "lists-01-sorted.png"), full_page=True)

            page.fill("input[name=q]", "档案浏览器")
            page.click("form.filters button[type=submit]")
            page.wait_for_load_state()
            shown = names.all_inner_texts()
            assert sorted(shown) == sorted(["乙 档案浏览器项目", "甲 档案浏览器项目"])
            page.screenshot(path=str(ARTIFACTS / "lists-02-filtered.png"), full_page=True)

            with page.expect_download() as info:
                page.click("a:has-text('导出 XLSX')")
            assert info.value.suggested_filename == "archives.xlsx"
            sheet = load_workbook(io.BytesIO(info.value.path().read_bytes()), read_only=True).active
            exported = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]
            assert exported == shown  # the same rows in the same (descending) order
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_project_list_sorted_filtered_and_exported(live_server: Any, personas: dict[str, Any]) -> None:
    """项目: a header sorts (both ways), the search box narrows the table in place (htmx), and the
    export link — kept in step with the table — downloads those rows in that order."""
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    for name in ("乙 列表浏览器项目", "甲 列表浏览器项目", "丙 其他项目"):
        make_project(personas["staff_a"], name=name)
    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="zh-CN", viewport={"width": 1360, "height": 900}, accept_downloads=True
            )
            page = context.new_page()
            login(page, live_server.url, "staff_a")
            page.goto(f"{live_server.url}{reverse('web:project_list')}")
            names = page.locator("#project-table tbody tr td:nth-child(2) a")
            expect(names).to_have_count(3)

            page.click("#project-table thead a:has-text('项目名称')")
            page.wait_for_load_state()
            ascending = names.all_inner_texts()
            assert ascending == sorted(ascending)
            page.click("#project-table thead a:has-text('项目名称')")
            page.wait_for_load_state()
            expect(page.locator("#project-table thead th[aria-sort=descending]")).to_have_count(1)
            assert names.all_inner_texts() == list(reversed(ascending))

            page.fill("input[name=q]", "列表浏览器")  # htmx swaps the table in place
            expect(names).to_have_count(2)
            shown = names.all_inner_texts()
            assert shown == [n for n in reversed(ascending) if "列表浏览器" in n]  # still descending
            page.screenshot(path=str(ARTIFACTS / "lists-03-projects.png"), full_page=True)

            with page.expect_download() as info:
                page.click("#export-xlsx")
            sheet = load_workbook(io.BytesIO(info.value.path().read_bytes()), read_only=True).active
            exported = [row[1] for row in list(sheet.iter_rows(values_only=True))[1:]]
            assert exported == shown  # the same rows in the same (descending) order
        finally:
            browser.close()
