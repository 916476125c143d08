"""Findings of the administration security review (issue 15 item 1, docs/security.md):

1. a password an administrator sets is temporary (else a reset is an impersonation): no API token,
   every page leads to the change-password page until the user has chosen their own; the reset
   ends the user's sessions and tokens; the operator's CLI passwords are final;
2. sec_admin neither grants nor revokes administrator roles (the operator's CLI does);
3. 已办 names only the projects the user may still see;
4. administrators read no business data: 403 on business pages and endpoints (the permission
   matrices, tests/api/endpoints*.py and tests/web/ui_routes.py, assert every persona × route).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD, make_project
from egovpm.accounts import services
from egovpm.accounts.models import ApiToken, User
from egovpm.audit.actions import AuditAction
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import audit_record

pytestmark = pytest.mark.django_db

TEMPORARY = "Temporary-Passw0rd-1"
OWN = "My-Own-Passw0rd-2026"


def _client(username: str, password: str = PASSWORD) -> Client:
    c = Client()
    assert c.login(username=username, password=password)
    return c


def _token(api: Any, username: str, password: str) -> Any:
    return api(None).post("/api/v1/auth/token", {"username": username, "password": password}, format="json")


def _writes() -> int:
    return AuditEvent.objects.exclude(action="auth.token_issue").count()


def _reset(api: Any, username: str) -> None:
    r = api("sys_admin").patch(f"/api/v1/admin/users/{username}", {"password": TEMPORARY}, format="json")
    assert r.status_code == 200, r.content


# --- 1. a password an administrator sets is temporary --------------------------------------------


def test_a_reset_ends_sessions_and_tokens_and_gives_no_token_until_the_user_chooses(api: Any) -> None:
    old_token = _token(api, "staff_a", PASSWORD).json()["token"]
    browser = _client("staff_a")
    _reset(api, "staff_a")
    assert not ApiToken.objects.filter(user__username="staff_a").exists()
    # the browser session of before the reset has ended (the login page), the old token is 401
    assert browser.get(reverse("web:project_list")).status_code == 302
    assert browser.get(reverse("web:project_list"))["Location"].startswith(reverse("web:login"))
    r = api(None).get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {old_token}")
    assert r.status_code == 401
    # the administrator who knows the temporary password gets no token with it
    r = _token(api, "staff_a", TEMPORARY)
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    assert r.json()["message"]
    reset = AuditEvent.objects.filter(action="user.set").latest("seq")
    assert reset.actor_username == "sys_admin" and reset.new["password"] == "reset"
    assert reset.new["password_change_required"] is True and TEMPORARY not in str(reset.new)


def test_after_signing_in_with_a_temporary_password_every_page_leads_to_the_change(api: Any) -> None:
    _reset(api, "staff_a")
    c = Client()
    r = c.post(reverse("web:login"), {"username": "staff_a", "password": TEMPORARY}, follow=True)
    page = r.content.decode()
    assert r.redirect_chain[-1][0] == reverse("web:password_change")
    assert "临时密码" in page and 'id="password-change-required"' in page
    for name in ("web:inbox", "web:project_list", "web:messages", "web:done"):
        r = c.get(reverse(name))
        assert (r.status_code, r["Location"]) == (302, reverse("web:password_change")), name
    # an htmx request is sent there too, rather than given a fragment
    r = c.get(reverse("web:project_list"), HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == reverse("web:password_change")
    # the API through the browser session refuses as well
    r = c.get("/api/v1/projects")
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    # signing out still works
    assert c.post(reverse("web:logout")).status_code == 302


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"old_password": "Wrong-Passw0rd-1", "new_password": OWN, "new_password_again": OWN}, "old_password"),
        ({"old_password": TEMPORARY, "new_password": TEMPORARY, "new_password_again": TEMPORARY}, "new_password"),
        ({"old_password": TEMPORARY, "new_password": "short", "new_password_again": "short"}, "new_password"),
        ({"old_password": TEMPORARY, "new_password": OWN, "new_password_again": OWN + "x"}, "new_password_again"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(api: Any, body: dict[str, str], field: str) -> None:
    _reset(api, "staff_a")
    c = _client("staff_a", TEMPORARY)
    before = AuditEvent.objects.count()
    r = c.post(reverse("web:password_change"), body)
    assert r.status_code == 400
    form = r.context["form"]
    assert form.errors.get(field), form.errors
    user = User.objects.get(username="staff_a")
    assert user.password_change_required and user.check_password(TEMPORARY)
    assert AuditEvent.objects.count() == before


def test_the_user_chooses_their_own_password_and_works_again(api: Any) -> None:
    _reset(api, "staff_a")
    c = _client("staff_a", TEMPORARY)
    body = {"old_password": TEMPORARY, "new_password": OWN, "new_password_again": OWN}
    r = c.post(reverse("web:password_change"), body)
    assert r.status_code == 302
    # the same session goes on, now anywhere
    assert c.get(reverse("web:project_list")).status_code == 200
    user = User.objects.get(username="staff_a")
    assert not user.password_change_required and user.check_password(OWN)
    change = AuditEvent.objects.filter(action="user.password_change").get()
    assert change.actor_username == "staff_a" and OWN not in str(change.new) and TEMPORARY not in str(change.new)
    assert change.old == {"password_change_required": True}
    assert _token(api, "staff_a", OWN).status_code == 200
    assert _token(api, "staff_a", TEMPORARY).status_code == 401


def test_an_account_sys_admin_creates_starts_with_a_temporary_password(api: Any) -> None:
    body = {"username": "zhao.liu", "full_name": "赵六", "department": "moa", "password": TEMPORARY}
    assert api("sys_admin").post("/api/v1/admin/users", body, format="json").status_code == 201
    assert api("sec_admin").put("/api/v1/admin/users/zhao.liu/roles", {"roles": ["dept_staff"]}, format="json")
    assert _token(api, "zhao.liu", TEMPORARY).json()["code"] == "password_change_required"
    assert AuditEvent.objects.filter(action="user.add").latest("seq").new["password_change_required"] is True
    c = _client("zhao.liu", TEMPORARY)
    assert c.get(reverse("web:inbox"))["Location"] == reverse("web:password_change")


def test_the_browser_reset_is_temporary_too(personas: dict[str, Any]) -> None:
    sys = _client("sys_admin")
    r = sys.post(reverse("web:admin_user_password", kwargs={"username": "staff_p"}), {"password": TEMPORARY})
    assert r.status_code == 302
    assert User.objects.get(username="staff_p").password_change_required


def test_the_operators_cli_password_is_final(personas: dict[str, Any], api: Any) -> None:
    """The operator on the server (egovpm user add/set --password-stdin) sets passwords that work at
    once: the demo logins and the administrators' own accounts are made that way. A CLI reset also
    ends a temporary password."""
    _reset(api, "staff_a")
    services.user_set(actor=None, username="staff_a", password=OWN)
    assert not User.objects.get(username="staff_a").password_change_required
    assert _token(api, "staff_a", OWN).status_code == 200
    services.user_add(actor=None, username="cli.user", department_code="moa", roles=["dept_staff"], password=OWN)
    assert _token(api, "cli.user", OWN).status_code == 200


def test_anyone_may_change_their_own_password(personas: dict[str, Any]) -> None:
    c = _client("ndrc")
    assert c.get(reverse("web:password_change")).status_code == 200
    body = {"old_password": PASSWORD, "new_password": OWN, "new_password_again": OWN}
    assert c.post(reverse("web:password_change"), body).status_code == 302
    assert User.objects.get(username="ndrc").check_password(OWN)


# --- 2. administrator roles are the operator's ----------------------------------------------------


@pytest.mark.parametrize("roles", [["sys_admin"], ["audit_admin"], ["sec_admin"]])
def test_sec_admin_grants_no_administrator_role(api: Any, roles: list[str]) -> None:
    before = _writes()
    r = api("sec_admin").put("/api/v1/admin/users/staff_p/roles", {"roles": roles}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "admin_role_cli_only"
    assert "roles" in r.json()["details"]
    assert User.objects.get(username="staff_p").role_set == {"dept_staff"}
    assert _writes() == before


@pytest.mark.parametrize(("target", "roles"), [("sys_admin", []), ("audit_admin", ["dept_staff"])])
def test_sec_admin_neither_revokes_nor_replaces_an_administrators_role(api: Any, target: str, roles: list[str]) -> None:
    before = _writes()
    r = api("sec_admin").put(f"/api/v1/admin/users/{target}/roles", {"roles": roles}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "admin_account_roles"
    assert User.objects.get(username=target).role_set == {target}
    assert _writes() == before


def test_the_roles_page_offers_no_administrator_role_and_leaves_administrators_alone(
    personas: dict[str, Any],
) -> None:
    c = _client("sec_admin")
    page = c.get(reverse("web:admin_user_roles", kwargs={"username": "staff_p"})).content.decode()
    assert 'value="dept_staff"' in page and 'value="sys_admin"' not in page and 'value="audit_admin"' not in page
    r = c.post(reverse("web:admin_user_roles", kwargs={"username": "staff_p"}), {"roles": ["sys_admin"]})
    assert r.status_code == 400
    assert User.objects.get(username="staff_p").role_set == {"dept_staff"}
    url = reverse("web:admin_user_roles", kwargs={"username": "audit_admin"})
    page = c.get(url).content.decode()
    assert "egovpm user set" in page and 'type="checkbox"' not in page
    r = c.post(url, {"roles": ["dept_staff"]})
    assert r.status_code == 409
    assert User.objects.get(username="audit_admin").role_set == {"audit_admin"}


def test_an_administrator_role_is_never_combined_in_the_cli(personas: dict[str, Any]) -> None:
    from egovpm.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        services.user_set(actor=None, username="staff_p", roles=["sys_admin", "dept_staff"])
    assert refused.value.reason == "admin_role_alone"
    assert User.objects.get(username="staff_p").role_set == {"dept_staff"}


# --- 3. 已办 names only what the user may still see ----------------------------------------------


def _did(user: Any, project: Any) -> None:
    audit_record(
        actor=user,
        action=AuditAction.PROJECT_UPDATE,
        obj=project,
        project_id=str(project.pk),
        new={"name": project.name},
    )


def test_done_hides_the_projects_the_user_no_longer_sees(project: Any, personas: dict[str, Any]) -> None:
    staff_p = personas["staff_p"]  # prov takes part in moa's project
    _did(staff_p, project)
    c = _client("staff_p")
    assert project.name in c.get(reverse("web:done")).content.decode()
    services.user_set(actor=None, username="staff_p", department_code="mob")  # moved: out of its scope
    for name in ("web:done", "web:inbox"):
        page = c.get(reverse(name)).content.decode()
        assert project.name not in page, name
        assert "（已无权查看的项目）" in page, name
        assert reverse("web:project_detail", kwargs={"pk": project.pk}) not in page, name
        assert "修改项目信息" in page, name  # the row keeps its action


def test_done_costs_the_same_queries_for_2_and_20_rows(personas: dict[str, Any]) -> None:
    staff_p = personas["staff_p"]
    c = _client("staff_p")

    def grow(n: int) -> None:
        for i in range(n):
            # half the rows on projects prov may not see (moa's without prov), half on its own
            p = make_project(personas["staff_a"] if i % 2 else staff_p, name=f"项目{i}")
            _did(staff_p, p)

    counts = []
    for n in (2, 18):
        grow(n)
        c.get(reverse("web:done"))
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(reverse("web:done")).content.decode()
        counts.append(len(ctx.captured_queries))
        assert "（已无权查看的项目）" in page
    assert counts[0] == counts[1], counts


# --- 4. administrators read no business data --------------------------------------------------


@pytest.mark.parametrize("admin", ["sys_admin", "sec_admin", "audit_admin"])
def test_administrators_get_403_on_business_lists(api: Any, admin: str) -> None:
    for path in ("/api/v1/projects", "/api/v1/projects/export", "/api/v1/messages"):
        r = api(admin).get(path)
        assert r.status_code == 403, (path, r.status_code)
        assert r.json()["code"] == "administrator_no_business"
    c = _client(admin)
    for name in ("web:project_list", "web:review_list", "web:archives", "web:messages", "web:done"):
        assert c.get(reverse(name)).status_code == 403, name
    assert api(admin).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("admin", ["sys_admin", "sec_admin", "audit_admin"])
def test_every_link_of_an_administrators_navigation_opens(personas: dict[str, Any], admin: str) -> None:
    c = _client(admin)
    home = c.get(reverse("web:inbox"), follow=True)
    assert home.status_code == 200
    nav = home.content.decode().split('<nav class="sidenav"', 1)[1].split("</nav>", 1)[0]
    links = [part.split('"', 1)[0] for part in nav.split('href="')[1:]]
    assert links
    for link in links:
        assert c.get(link).status_code == 200, link


@pytest.mark.parametrize("persona", ["staff_a", "ndrc", "sys_admin"])
def test_every_signed_in_page_offers_the_password_change(persona: str, personas: dict[str, Any]) -> None:
    """A user may choose a new password at any time, not only when an administrator's temporary one
    forces it: the header links to 修改密码 on every page."""
    page = _client(persona).get(reverse("web:password_change")).content.decode()
    assert f'href="{reverse("web:password_change")}">修改密码</a>' in page
    inbox = _client(persona).get(reverse("web:inbox"), follow=True).content.decode()
    assert f'href="{reverse("web:password_change")}">修改密码</a>' in inbox
