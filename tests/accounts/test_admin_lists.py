"""The administrators' lists (issue 15 item 5, ADR 0018): 用户 and 角色授权 (accounts), 部门 and
锁定账号 sort by their headers, page, filter (department, role, status, kind: a refused value is a
400 naming it) and the 用户 list exports what it shows as XLSX; each is its administrator's only
(三员分立) and costs the same queries at 2 rows and at 20."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from list_pages import export_rows
from list_pages import signed_in as login

pytestmark = pytest.mark.django_db

QUERIES = 7  # the sorted, filtered page, measured 2026-11 on SQLite; the same at 2 rows and at 20

USERS = reverse("web:admin_users")
ROLES = reverse("web:admin_roles")
DEPARTMENTS = reverse("web:admin_departments")
LOCKED = reverse("web:admin_locked")


def usernames(body: str) -> list[str]:
    rows = body.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<tr><td class="mono">([^<]+)</td>', rows)


def test_accounts_sort_by_a_header_both_ways(personas: dict[str, Any]) -> None:
    admin = login("sys_admin")
    everyone = sorted(personas)
    assert usernames(admin.get(USERS).content.decode()) == everyone  # by username, the default
    body = admin.get(USERS, {"sort": "-username"}).content.decode()
    assert usernames(body) == everyone[::-1]
    assert 'aria-sort="descending"' in body
    by_department = usernames(admin.get(USERS, {"sort": "department", "department": "moa"}).content.decode())
    assert by_department == ["leader_a", "staff_a"]  # the same department: then by username
    roles_page = usernames(login("sec_admin").get(ROLES, {"sort": "-username"}).content.decode())
    assert roles_page == everyone[::-1]
    assert admin.get(USERS, {"sort": "password"}).status_code == 200  # not a column: the default order


def test_accounts_filter_by_department_role_and_status_and_refuse_unknown_values(personas: dict[str, Any]) -> None:
    admin = login("sys_admin")
    assert usernames(admin.get(USERS, {"department": "mob"}).content.decode()) == ["leader_b", "staff_b"]
    assert usernames(admin.get(USERS, {"role": "dept_leader"}).content.decode()) == ["leader_a", "leader_b"]
    personas["staff_p"].is_active = False
    personas["staff_p"].save(update_fields=["is_active"])
    assert usernames(admin.get(USERS, {"status": "disabled"}).content.decode()) == ["staff_p"]
    assert "staff_p" not in usernames(admin.get(USERS, {"status": "active"}).content.decode())
    for bad in ({"role": "king"}, {"department": "nowhere"}, {"status": "maybe"}):
        response = admin.get(USERS, bad)
        assert response.status_code == 400, bad
        assert next(iter(bad)).encode() in response.content  # the 400 names the field
    assert login("sec_admin").get(ROLES, {"role": "king"}).status_code == 400


def test_the_account_export_is_the_filtered_sorted_list(personas: dict[str, Any]) -> None:
    admin = login("sys_admin")
    personas["staff_b"].display_name = '=HYPERLINK("x")'
    personas["staff_b"].save(update_fields=["display_name"])
    rows = export_rows(admin, USERS, {"department": "mob", "sort": "-username"})
    assert [r[0] for r in rows[1:]] == ["staff_b", "leader_b"]
    assert rows[1][1] == '=HYPERLINK("x")'  # text, not a formula
    assert rows[1][2] == personas["staff_b"].department.name and rows[1][3] == "项目建设部门经办人"
    assert (
        'href="?department=mob&amp;sort=-username&amp;export=xlsx"'
        in admin.get(USERS, {"department": "mob", "sort": "-username"}).content.decode()
    )
    # the accounts are the system administrator's: nobody else reads or exports them
    for other in ("sec_admin", "audit_admin", "staff_a", "ndrc"):
        assert login(other).get(USERS, {"export": "xlsx"}).status_code == 403, other


def test_departments_sort_and_filter(personas: dict[str, Any]) -> None:
    admin = login("sys_admin")
    body = admin.get(DEPARTMENTS, {"sort": "-code"}).content.decode()
    codes = usernames(body)
    assert codes == sorted(codes, reverse=True) and "moa" in codes
    assert usernames(admin.get(DEPARTMENTS, {"kind": "local"}).content.decode()) == ["prov"]
    most = usernames(admin.get(DEPARTMENTS, {"sort": "-accounts"}).content.decode())
    assert most[0] in ("ndrc", "agency")  # four accounts each (ndrc: the officer and three administrators)
    assert admin.get(DEPARTMENTS, {"kind": "nation"}).status_code == 400
    assert login("sec_admin").get(DEPARTMENTS).status_code == 403


def test_locked_accounts_sort_by_username(personas: dict[str, Any]) -> None:
    for name in ("staff_a", "staff_b"):
        for _ in range(5):
            Client().post(reverse("web:login"), {"username": name, "password": "Wrong-Passw0rd-1"})
    sec = login("sec_admin")
    assert usernames(sec.get(LOCKED, {"sort": "username"}).content.decode()) == ["staff_a", "staff_b"]
    assert usernames(sec.get(LOCKED, {"sort": "-username"}).content.decode()) == ["staff_b", "staff_a"]
    assert login("sys_admin").get(LOCKED).status_code == 403


def test_the_sorted_filtered_account_list_costs_the_same_queries_at_2_rows_and_at_20(
    departments: dict[str, Any],
) -> None:
    from egovpm.accounts.models import User, UserRole

    admin = login("sys_admin")
    counts = []
    for n in (2, 20):
        while User.objects.filter(username__startswith="bulk").count() < n:
            i = User.objects.filter(username__startswith="bulk").count()
            u = User.objects.create(username=f"bulk{i:02d}", display_name=f"批量{i}", department=departments["moa"])
            UserRole.objects.create(user=u, role="dept_staff")
        params = {"q": "bulk", "role": "dept_staff", "department": "moa", "sort": "-name"}
        admin.get(USERS, params)
        with CaptureQueriesContext(connection) as ctx:
            body = admin.get(USERS, params).content.decode()
        assert len(usernames(body)) == n
        counts.append(len(ctx.captured_queries))
    assert counts == [QUERIES, QUERIES], counts
