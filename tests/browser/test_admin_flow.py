"""Administration in a real browser (三员分立, issue 15): sys_admin creates a department and an
account, the account is locked out by wrong passwords, sec_admin grants it a role and unlocks it,
and the new user logs in and lands on 待办. Screenshots go to test-artifacts/ (gitignored)."""

from __future__ import annotations

from typing import Any

import pytest

from browser.test_flow import ARTIFACTS, CHROMIUM_ARGS, chromium_path, login

NEW_PASSWORD = "Wang-Wu-Passw0rd-1"
OWN_PASSWORD = "Wang-Wu-Own-Passw0rd-2"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sys_admin_creates_sec_admin_grants_and_unlocks_the_user_logs_in(
    live_server: Any, personas: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    def shot(page: Any, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"admin-{step}.png"), full_page=True)

    def log_out(page: Any) -> None:
        page.click("button:has-text('退出登录')")
        page.wait_for_load_state()

    def try_login(page: Any, username: str, password: str) -> None:
        page.goto(f"{base}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].btn-primary")
        page.wait_for_load_state()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
            page = context.new_page()

            # sys_admin: lands on the accounts; adds a department, then an account in it
            login(page, base, "sys_admin")
            expect(page.locator("h1")).to_have_text("用户账号")
            expect(page.locator("nav.sidenav")).not_to_contain_text("项目")
            page.click("nav.sidenav a:text-is('部门')")
            page.fill("#id_code", "mwr")
            page.fill("#id_name", "水利部")
            page.select_option("#id_kind", "central")
            page.fill("#id_number", "35")
            page.click("button:has-text('新增部门')")
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("水利部")
            expect(page.locator("#departments")).to_contain_text("水利部")
            shot(page, "01-department")

            page.click("nav.sidenav a:text-is('用户账号')")
            page.click("a:text-is('新建账号')")
            page.fill("#id_username", "wang.wu")
            page.fill("#id_full_name", "王五")
            page.select_option("#id_department", "mwr")
            page.fill("#id_password", NEW_PASSWORD)
            page.click("button:has-text('创建账号')")
            page.wait_for_load_state()
            expect(page.locator("#accounts")).to_contain_text("wang.wu")
            shot(page, "02-account")
            log_out(page)

            # the new user mistypes the password until the account locks
            for _ in range(5):
                try_login(page, "wang.wu", "Wrong-Passw0rd-1")
            expect(page.locator(".errorbox")).to_contain_text("锁定")
            shot(page, "03-locked")

            # sec_admin: grants a role, then unlocks
            login(page, base, "sec_admin")
            expect(page.locator("h1")).to_have_text("角色授权")
            page.fill("#id_q", "wang.wu")
            page.click("button:has-text('搜索')")
            page.wait_for_load_state()
            page.click("#roles a:text-is('授予或撤销')")
            page.check("input[name=roles][value=dept_staff]")
            page.click("button:has-text('保存角色')")
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("wang.wu")
            page.click("nav.sidenav a:text-is('锁定账号')")
            expect(page.locator("#locked")).to_contain_text("wang.wu")
            shot(page, "04-locked-list")
            page.click("#locked button:has-text('解锁')")
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("已解锁")
            expect(page.locator("#locked")).not_to_contain_text("wang.wu")
            log_out(page)

            # the new user logs in: the password sys_admin chose is temporary, so they choose their own
            # first (docs/security.md), then land on 待办
            try_login(page, "wang.wu", NEW_PASSWORD)
            expect(page.locator("h1")).to_have_text("修改密码")
            expect(page.locator("#password-change-required")).to_contain_text("临时密码")
            page.goto(f"{base}/projects/")
            expect(page.locator("h1")).to_have_text("修改密码")  # every page leads here until changed
            page.fill("#id_old_password", NEW_PASSWORD)
            page.fill("#id_new_password", OWN_PASSWORD)
            page.fill("#id_new_password_again", OWN_PASSWORD)
            page.click("form.form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator(".messages")).to_contain_text("密码已修改")
            expect(page.locator("h1")).to_have_text("待办")
            expect(page.locator(".topbar")).to_contain_text("王五")
            shot(page, "05-new-user")
        finally:
            browser.close()
