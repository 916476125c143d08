"""The administrators' pages (三员分立, issue 15 item 1): each lands on the page of their duties and
sees only those in the navigation; the forms do what the API does and keep what was typed when
refused; lists cost the same number of queries for 2 accounts as for 20."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from egovpm.accounts import services
from egovpm.accounts.models import Department, SecurityPolicy, User
from egovpm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def _nav(html: str) -> str:
    return html.split('<nav class="sidenav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("persona", "home", "shown", "hidden"),
    [
        ("sys_admin", "web:admin_users", ["用户账号", "部门"], ["角色授权", "安全策略", "审计日志", "项目"]),
        ("sec_admin", "web:admin_roles", ["角色授权", "锁定账号", "安全策略"], ["用户账号", "审计日志", "项目"]),
        ("audit_admin", "web:admin_audit_home", ["审计工作台", "审计日志"], ["用户账号", "安全策略", "项目"]),
    ],
)
def test_each_administrator_lands_on_their_duties(
    personas: dict[str, Any], persona: str, home: str, shown: list[str], hidden: list[str]
) -> None:
    c = Client()
    r = c.post(reverse("web:login"), {"username": persona, "password": PASSWORD})
    assert r.status_code == 302 and r.url == reverse(home)
    assert c.get(reverse("web:inbox")).url == reverse(home)  # "/" too
    nav = _nav(c.get(reverse(home)).content.decode())
    for label in shown:
        assert label in nav, (persona, label)
    for label in hidden:
        assert label not in nav, (persona, label)


def test_business_roles_do_not_see_the_administration(personas: dict[str, Any]) -> None:
    c = _client("ndrc")
    nav = _nav(c.get(reverse("web:project_list")).content.decode())
    assert "用户账号" not in nav and "安全策略" not in nav
    assert c.get(reverse("web:admin_users")).status_code == 403


def test_sys_admin_adds_a_department_and_a_refused_one_keeps_the_form(personas: dict[str, Any]) -> None:
    c = _client("sys_admin")
    url = reverse("web:admin_departments")
    good = {"code": "mwr", "name": "水利部", "kind": "central", "division_code": "000000", "number": "35"}
    r = c.post(url, good)
    assert r.status_code == 302
    assert "水利部" in c.get(url + "?q=mwr").content.decode()
    before = (Department.objects.count(), AuditEvent.objects.count())
    r = c.post(url, {**good, "code": "moa", "name": "重复的部门"})
    assert r.status_code == 409
    assert "重复的部门" in r.content.decode()  # what was typed is kept
    assert (Department.objects.count(), AuditEvent.objects.count()) == before
    r = c.post(reverse("web:admin_department_edit", kwargs={"code": "mwr"}), {**good, "name": "水利部（改）"})
    assert r.status_code == 302 and Department.objects.get(code="mwr").name == "水利部（改）"


def test_sys_admin_manages_an_account(personas: dict[str, Any]) -> None:
    c = _client("sys_admin")
    body = {"username": "li.si", "full_name": "李四", "department": "moa", "password": "Strong-Passw0rd-1"}
    assert c.post(reverse("web:admin_user_add"), body).status_code == 302
    user = User.objects.get(username="li.si")
    assert user.display_name == "李四" and user.role_set == frozenset()
    edit = reverse("web:admin_user_edit", kwargs={"username": "li.si"})
    assert c.post(edit, {"full_name": "李四光", "department": "mob"}).status_code == 302
    assert c.post(reverse("web:admin_user_active", kwargs={"username": "li.si"}), {"active": "0"}).status_code == 302
    assert not User.objects.get(username="li.si").is_active
    r = c.post(reverse("web:admin_user_password", kwargs={"username": "li.si"}), {"password": "short"})
    assert r.status_code == 400 and "密码" in r.content.decode()
    r = c.post(reverse("web:admin_user_password", kwargs={"username": "li.si"}), {"password": "New-Passw0rd-77"})
    assert r.status_code == 302
    user = User.objects.get(username="li.si")
    assert (user.display_name, user.department.code) == ("李四光", "mob") and user.check_password("New-Passw0rd-77")


def test_sec_admin_grants_roles_never_an_admin_role_with_another(personas: dict[str, Any]) -> None:
    c = _client("sec_admin")
    url = reverse("web:admin_user_roles", kwargs={"username": "staff_p"})
    r = c.post(url, {"roles": ["sys_admin", "dept_staff"]})
    assert r.status_code == 400 and "三员分立" in r.content.decode()
    assert User.objects.get(username="staff_p").role_set == {"dept_staff"}
    assert c.post(url, {"roles": ["dept_staff", "dept_leader"]}).status_code == 302
    assert User.objects.get(username="staff_p").role_set == {"dept_staff", "dept_leader"}
    assert "dept_leader" in AuditEvent.objects.filter(action="user.roles_set").latest("seq").new["roles"]


def test_sec_admin_unlocks_from_the_locked_list(personas: dict[str, Any]) -> None:
    for _ in range(5):
        Client().post(reverse("web:login"), {"username": "staff_a", "password": "Wrong-Passw0rd-1"})
    c = _client("sec_admin")
    page = c.get(reverse("web:admin_locked")).content.decode()
    assert "staff_a" in page
    assert c.post(reverse("web:admin_user_unlock", kwargs={"username": "staff_a"})).status_code == 302
    assert "staff_a" not in c.get(reverse("web:admin_locked")).content.decode().split("<tbody>")[1]
    assert Client().login(username="staff_a", password=PASSWORD)


def test_sec_admin_sets_the_policy_within_bounds(personas: dict[str, Any]) -> None:
    c = _client("sec_admin")
    url = reverse("web:admin_policy")
    values = {
        "password_min_length": 12,
        "password_classes": 3,
        "lockout_failures": 3,
        "lockout_minutes": 30,
        "session_idle_minutes": 20,
        "token_lifetime_days": 14,
    }
    r = c.post(url, {**values, "token_lifetime_days": 400})
    assert r.status_code == 400 and not SecurityPolicy.objects.exists()
    assert c.post(url, values).status_code == 302
    row = SecurityPolicy.objects.get()
    assert (row.lockout_failures, row.token_lifetime_days, row.changed_by.username) == (3, 14, "sec_admin")
    with pytest.raises(services.InvalidInput):  # the new minimum length is obeyed by every password
        services.user_set(actor=None, username="staff_p", password="Elevenchar1")


def test_audit_admin_verifies_the_chain(personas: dict[str, Any]) -> None:
    c = _client("audit_admin")
    home = c.get(reverse("web:admin_audit_home")).content.decode()
    assert reverse("web:audit") in home and reverse("web:audit_export") in home
    r = c.post(reverse("web:admin_audit_verify"))
    assert r.status_code == 200
    assert "审计链完整" in r.content.decode()
    assert AuditEvent.objects.filter(action="audit.verify", actor_username="audit_admin").exists()
    assert _client("sys_admin").post(reverse("web:admin_audit_verify")).status_code == 403


@pytest.mark.parametrize(("persona", "page"), [("sys_admin", "web:admin_users"), ("sec_admin", "web:admin_roles")])
def test_account_lists_cost_the_same_for_2_and_20_accounts(personas: dict[str, Any], persona: str, page: str) -> None:
    c = _client(persona)
    url = reverse(page)

    def add(n: int) -> None:
        start = User.objects.filter(username__startswith="many.").count()
        for i in range(start, start + n):
            services.user_add(
                actor=None, username=f"many.{i:03}", department_code="moa", roles=["dept_staff"], password=PASSWORD
            )

    add(2)
    c.get(url)  # warm-up
    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    add(18)
    with CaptureQueriesContext(connection) as large:
        assert c.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
