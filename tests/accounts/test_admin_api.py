"""Administration over the API (api.md "Administration", domain.md §14, 三员分立): what each
administrator may do, refusals that change nothing, every action in the audit trail, and the
security policy's numbers obeyed by the login lockout, the password rules, the session idle
timeout and token issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import NOW, PASSWORD
from egovpm.accounts.models import ApiToken, Department, SecurityPolicy, User
from egovpm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Passw0rd-9"


def _audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def _writes() -> int:
    return AuditEvent.objects.exclude(action="auth.token_issue").count()


def login(api: Any, username: str, password: str) -> Any:
    return api(None).post("/api/v1/auth/token", {"username": username, "password": password}, format="json")


# --- sys_admin: departments ----------------------------------------------------------------------


def test_sys_admin_adds_lists_and_changes_a_department(api: Any) -> None:
    sys = api("sys_admin")
    r = sys.post(
        "/api/v1/admin/departments",
        {"code": "mwr", "name": "水利部", "kind": "central", "division_code": "000000", "number": "35"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json() == {
        "code": "mwr",
        "name": "水利部",
        "kind": "central",
        "division_code": "000000",
        "number": "35",
        "user_count": 0,
    }
    found = sys.get("/api/v1/admin/departments?q=水利").json()
    assert [d["code"] for d in found["results"]] == ["mwr"]
    r = sys.patch("/api/v1/admin/departments/mwr", {"name": "中华人民共和国水利部"}, format="json")
    assert r.status_code == 200, r.content
    assert Department.objects.get(code="mwr").name == "中华人民共和国水利部"
    (change,) = _audit("department.set")
    assert change.actor_username == "sys_admin"
    assert change.old["name"] == "水利部" and change.new["name"] == "中华人民共和国水利部"
    assert _audit("department.add")[-1].actor_username == "sys_admin"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "x y", "name": "空格部门", "kind": "central"}, "code"),
        ({"code": "newd", "name": "", "kind": "central"}, "name"),
        ({"code": "newd", "name": "新部门", "kind": "ministry"}, "kind"),
        ({"code": "newd", "name": "新部门", "kind": "central", "number": "123"}, "number"),
        ({"code": "newd", "name": "新部门", "kind": "central", "roles": ["sys_admin"]}, "roles"),
    ],
)
def test_bad_department_is_400_naming_the_field_and_nothing_changes(api: Any, body: dict, field: str) -> None:
    before = (Department.objects.count(), _writes())
    r = api("sys_admin").post("/api/v1/admin/departments", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["details"]
    assert (Department.objects.count(), _writes()) == before


def test_duplicate_department_is_409_and_unknown_one_404(api: Any) -> None:
    sys = api("sys_admin")
    r = sys.post("/api/v1/admin/departments", {"code": "moa", "name": "重复", "kind": "central"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "department_exists"
    assert sys.patch("/api/v1/admin/departments/nope", {"name": "无"}, format="json").status_code == 404
    r = sys.patch("/api/v1/admin/departments/moa", {"kind": "nonsense"}, format="json")
    assert r.status_code == 400
    assert Department.objects.get(code="moa").kind == "central"


# --- sys_admin: accounts -------------------------------------------------------------------------


def test_sys_admin_creates_an_account_without_roles_that_sec_admin_then_grants(api: Any) -> None:
    body = {"username": "li.si", "full_name": "李四", "department": "moa", "password": "Strong-Passw0rd-1"}
    r = api("sys_admin").post("/api/v1/admin/users", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["roles"] == [] and r.json()["full_name"] == "李四" and r.json()["active"] is True
    r = api("sec_admin").put("/api/v1/admin/users/li.si/roles", {"roles": ["dept_staff"]}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["roles"] == ["dept_staff"]
    # the password sys_admin chose is temporary: no token until li.si has chosen their own
    r = login(api, "li.si", "Strong-Passw0rd-1")
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    (grant,) = _audit("user.roles_set")
    assert grant.actor_username == "sec_admin" and grant.old["roles"] == [] and grant.new["roles"] == ["dept_staff"]
    assert _audit("user.add")[-1].actor_username == "sys_admin"


def test_sys_admin_edits_disables_enables_and_resets(api: Any, personas: dict[str, Any]) -> None:
    sys = api("sys_admin")
    token = login(api, "staff_p", PASSWORD).json()["token"]
    r = sys.patch("/api/v1/admin/users/staff_p", {"full_name": "王五", "department": "mob"}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["full_name"], r.json()["department"]) == ("王五", "mob")
    assert sys.patch("/api/v1/admin/users/staff_p", {"active": False}, format="json").json()["active"] is False
    assert login(api, "staff_p", PASSWORD).status_code == 401
    assert not ApiToken.objects.filter(user__username="staff_p").exists()  # disabling ends its tokens
    assert sys.patch("/api/v1/admin/users/staff_p", {"active": True}, format="json").status_code == 200
    assert sys.patch("/api/v1/admin/users/staff_p", {"password": NEW_PASSWORD}, format="json").status_code == 200
    assert login(api, "staff_p", PASSWORD).status_code == 401
    r = login(api, "staff_p", NEW_PASSWORD)  # temporary: staff_p chooses their own first
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    assert token  # the first token was revoked with the account
    changes = _audit("user.set")
    assert [c.actor_username for c in changes] == ["sys_admin"] * 4
    assert changes[-1].new["password"] == "reset" and NEW_PASSWORD not in str(changes[-1].new)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"roles": ["ndrc_officer"]}, "roles"),  # no roles here: sec_admin grants them
        ({"department": "nowhere"}, "department"),
        ({"password": "short"}, "password"),
        ({"active": "perhaps"}, "active"),
        ({}, None),
    ],
)
def test_bad_account_change_is_400_and_nothing_changes(api: Any, body: dict, field: str | None) -> None:
    before = (_writes(), list(User.objects.filter(username="staff_p").values()))
    r = api("sys_admin").patch("/api/v1/admin/users/staff_p", body, format="json")
    assert r.status_code == 400, r.content
    if field:
        assert field in r.json()["details"]
    assert (_writes(), list(User.objects.filter(username="staff_p").values())) == before


def test_account_refusals(api: Any) -> None:
    sys = api("sys_admin")
    body = {"username": "staff_a", "full_name": "重名", "department": "moa", "password": "Strong-Passw0rd-1"}
    assert sys.post("/api/v1/admin/users", body, format="json").json()["code"] == "user_exists"
    assert sys.patch("/api/v1/admin/users/ghost", {"full_name": "无"}, format="json").status_code == 404
    r = sys.patch("/api/v1/admin/users/sys_admin", {"active": False}, format="json")
    assert r.status_code == 409
    assert User.objects.get(username="sys_admin").is_active


@pytest.mark.parametrize("target", ["sec_admin", "audit_admin"])
def test_sys_admin_cannot_take_over_the_other_administrators(api: Any, target: str) -> None:
    """三员分立: a password reset would let sys_admin act as the security or audit administrator."""
    before = _writes()
    for body in ({"password": NEW_PASSWORD}, {"active": False}, {"full_name": "改名"}):
        r = api("sys_admin").patch(f"/api/v1/admin/users/{target}", body, format="json")
        assert r.status_code == 403, r.content
    assert _writes() == before
    assert login(api, target, PASSWORD).status_code == 200


# --- sec_admin: roles and unlocking ---------------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [["sys_admin", "dept_staff"], ["sec_admin", "audit_admin"], ["king"]],
)
def test_an_admin_role_is_never_combined_and_unknown_roles_are_refused(api: Any, roles: list[str]) -> None:
    before = _writes()
    r = api("sec_admin").put("/api/v1/admin/users/staff_p/roles", {"roles": roles}, format="json")
    assert r.status_code == 400, r.content
    assert "roles" in r.json()["details"] or "role" in r.json()["details"]
    assert User.objects.get(username="staff_p").role_set == {"dept_staff"}
    assert _writes() == before


def test_sec_admin_revokes_and_cannot_touch_own_roles(api: Any) -> None:
    sec = api("sec_admin")
    assert sec.put("/api/v1/admin/users/staff_p/roles", {"roles": []}, format="json").json()["roles"] == []
    r = sec.put("/api/v1/admin/users/sec_admin/roles", {"roles": []}, format="json")
    assert r.status_code == 403
    assert User.objects.get(username="sec_admin").role_set == {"sec_admin"}
    assert sec.put("/api/v1/admin/users/ghost/roles", {"roles": []}, format="json").status_code == 404


def test_sec_admin_unlocks_a_locked_account(api: Any) -> None:
    for _ in range(5):
        login(api, "staff_a", "Wrong-Passw0rd-1")
    assert login(api, "staff_a", PASSWORD).status_code == 403
    sec = api("sec_admin")
    assert sec.post("/api/v1/admin/users/staff_a/unlock").status_code == 200
    assert login(api, "staff_a", PASSWORD).status_code == 200
    (unlock,) = _audit("user.unlock")
    assert unlock.actor_username == "sec_admin"
    # not locked (any more): 409, nothing written
    before = _writes()
    assert sec.post("/api/v1/admin/users/staff_a/unlock").status_code == 409
    assert _writes() == before


# --- sec_admin: the security policy, obeyed ------------------------------------------------------


def test_policy_reads_its_defaults_and_bounds(api: Any) -> None:
    r = api("sec_admin").get("/api/v1/admin/security-policy")
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("password_min_length", "lockout_failures", "lockout_minutes")} == {
        "password_min_length": 10,
        "lockout_failures": 5,
        "lockout_minutes": 15,
    }
    assert (body["session_idle_minutes"], body["token_lifetime_days"]) == (30, 30)
    assert body["bounds"]["token_lifetime_days"] == [1, 365]


@pytest.mark.parametrize(
    "body",
    [
        {"token_lifetime_days": 366},
        {"session_idle_minutes": 4},
        {"password_min_length": 6},
        {"password_classes": 2},
        {"lockout_failures": 1},
        {"lockout_minutes": 100000},
        {"lockout_failures": 3, "token_lifetime_days": 0},  # one bad value: nothing changes
        {"lockout_failures": "three"},
        {"idle": 10},
        {},
    ],
)
def test_policy_outside_the_bounds_is_400_and_nothing_changes(api: Any, body: dict) -> None:
    before = _writes()
    r = api("sec_admin").patch("/api/v1/admin/security-policy", body, format="json")
    assert r.status_code == 400, r.content
    assert not SecurityPolicy.objects.exists()
    assert _writes() == before
    assert api("sec_admin").get("/api/v1/admin/security-policy").json()["lockout_failures"] == 5


def test_lockout_after_the_policys_number_of_failures(api: Any) -> None:
    r = api("sec_admin").patch("/api/v1/admin/security-policy", {"lockout_failures": 3}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["lockout_failures"] == 3
    (change,) = _audit("security_policy.set")
    assert change.actor_username == "sec_admin"
    assert (change.old["lockout_failures"], change.new["lockout_failures"]) == (5, 3)
    login(api, "staff_a", "Wrong-Passw0rd-1")
    login(api, "staff_a", "Wrong-Passw0rd-1")
    assert login(api, "staff_a", PASSWORD).status_code == 200  # two failures do not lock
    for _ in range(3):
        login(api, "staff_a", "Wrong-Passw0rd-1")
    r = login(api, "staff_a", PASSWORD)  # the third failure locked it
    assert r.status_code == 403 and r.json()["code"] == "locked_out"


def test_lockout_minutes_are_the_policys(api: Any, clock: Any) -> None:
    api("sec_admin").patch("/api/v1/admin/security-policy", {"lockout_minutes": 60}, format="json")
    for _ in range(5):
        login(api, "staff_a", "Wrong-Passw0rd-1")
    clock.set_now(NOW + dt.timedelta(minutes=59))
    assert login(api, "staff_a", PASSWORD).status_code == 403  # still locked after the default 15
    clock.set_now(NOW + dt.timedelta(minutes=59 + 61))
    assert login(api, "staff_a", PASSWORD).status_code == 200


def test_password_rules_are_the_policys(api: Any) -> None:
    sec, sys = api("sec_admin"), api("sys_admin")
    sec.patch("/api/v1/admin/security-policy", {"password_min_length": 16, "password_classes": 4}, format="json")
    r = sys.patch("/api/v1/admin/users/staff_p", {"password": "Long-enough-1"}, format="json")  # 13 chars
    assert r.status_code == 400 and "16" in r.json()["details"]["password"]
    r = sys.patch("/api/v1/admin/users/staff_p", {"password": "Sixteen-chars-no"}, format="json")  # no digit
    assert r.status_code == 400
    r = sys.patch("/api/v1/admin/users/staff_p", {"password": "Sixteen-chars-n0"}, format="json")
    assert r.status_code == 200, r.content
    # and a shorter minimum than the old fixed 10 is obeyed too
    sec.patch("/api/v1/admin/security-policy", {"password_min_length": 8, "password_classes": 3}, format="json")
    assert sys.patch("/api/v1/admin/users/staff_p", {"password": "Kx9-mwqz"}, format="json").status_code == 200


def test_token_lifetime_is_the_policys(api: Any) -> None:
    api("sec_admin").patch("/api/v1/admin/security-policy", {"token_lifetime_days": 7}, format="json")
    token = login(api, "staff_a", PASSWORD).json()["token"]
    assert ApiToken.objects.get(key_hash=ApiToken.hash(token)).expires_at == NOW + dt.timedelta(days=7)


def test_session_idle_minutes_are_the_policys(api: Any, clock: Any) -> None:
    api("sec_admin").patch("/api/v1/admin/security-policy", {"session_idle_minutes": 10}, format="json")
    c = Client()
    assert c.post(reverse("web:login"), {"username": "staff_a", "password": PASSWORD}).status_code == 302
    clock.set_now(NOW + dt.timedelta(minutes=9))
    assert c.get(reverse("web:inbox")).status_code == 200
    clock.set_now(NOW + dt.timedelta(minutes=20))
    assert c.get(reverse("web:inbox")).status_code == 302  # logged out after 10 minutes, not 30


def test_the_audit_administrator_reads_the_administrators_actions(api: Any) -> None:
    api("sec_admin").patch("/api/v1/admin/security-policy", {"lockout_failures": 4}, format="json")
    api("sys_admin").patch("/api/v1/admin/users/staff_p", {"full_name": "王五"}, format="json")
    rows = api("audit_admin").get("/api/v1/audit").json()["results"]
    seen = {(r["actor_username"], r["action"]) for r in rows}
    assert {("sec_admin", "security_policy.set"), ("sys_admin", "user.set")} <= seen


@pytest.mark.parametrize("path", ["/api/v1/admin/users", "/api/v1/admin/departments"])
def test_admin_lists_cost_the_same_for_2_and_20_rows(api: Any, path: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egovpm.accounts import services

    client = api("sys_admin")

    def add(n: int) -> None:
        start = Department.objects.filter(code__startswith="many").count()
        for i in range(start, start + n):
            services.department_add(actor=None, code=f"many{i:03}", name=f"部门{i}", kind="local")
            services.user_add(
                actor=None,
                username=f"many.{i:03}",
                department_code=f"many{i:03}",
                roles=["dept_staff"],
                password=PASSWORD,
            )

    add(2)
    client.get(path)  # warm-up
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    add(18)
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
