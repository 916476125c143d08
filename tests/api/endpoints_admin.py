"""Permission expectations of the administration endpoints (api.md "Administration", domain.md §14,
三员分立): every business role is refused (403: there is no object of theirs to hide), and each
administrator reaches only its own duties — sys_admin departments and accounts, sec_admin roles,
unlocking and the security policy (and the account list it grants roles from), audit_admin none."""

from __future__ import annotations

from .endpoints import Call, Ctx, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
SYS_READ    = "401  403 403 403 403 403  403 403  403 403 403 403 403 403  200 403 403"
SYS_CREATE  = "401  403 403 403 403 403  403 403  403 403 403 403 403 403  201 403 403"
SYS_CHANGE  = "401  403 403 403 403 403  403 403  403 403 403 403 403 403  200 403 403"
ACCOUNTS    = "401  403 403 403 403 403  403 403  403 403 403 403 403 403  200 200 403"
SEC_ONLY    = "401  403 403 403 403 403  403 403  403 403 403 403 403 403  403 200 403"
# fmt: on


def _locked(ctx: Ctx) -> Call:
    """staff_p is locked out (the policy's number of failed logins) before the unlock is asked for."""
    from egovpm.accounts import lockout, policy

    for _ in range(policy.lockout_failures()):
        lockout.record_attempt("staff_p", succeeded=False, ip=None, channel="api")
    return Call(_url("admin-user-unlock", username="staff_p"))


ENDPOINTS = [
    Endpoint("admin-departments", "get", lambda ctx: Call(_url("admin-departments")), SYS_READ),
    Endpoint(
        "admin-departments",
        "post",
        lambda ctx: Call(_url("admin-departments"), {"code": "newdept", "name": "新设部门", "kind": "central"}),
        SYS_CREATE,
    ),
    Endpoint(
        "admin-department",
        "patch",
        lambda ctx: Call(_url("admin-department", code="prov"), {"name": "某省政务服务和数据管理局"}),
        SYS_CHANGE,
    ),
    Endpoint("admin-users", "get", lambda ctx: Call(_url("admin-users")), ACCOUNTS),
    Endpoint(
        "admin-users",
        "post",
        lambda ctx: Call(
            _url("admin-users"),
            {"username": "new.user", "full_name": "新用户", "department": "moa", "password": "Strong-Passw0rd-1"},
        ),
        SYS_CREATE,
    ),
    Endpoint(
        "admin-user",
        "patch",
        lambda ctx: Call(_url("admin-user", username="staff_p"), {"full_name": "王五"}),
        SYS_CHANGE,
    ),
    Endpoint(
        "admin-user-roles",
        "put",
        lambda ctx: Call(_url("admin-user-roles", username="staff_p"), {"roles": ["dept_staff", "dept_leader"]}),
        SEC_ONLY,
    ),
    Endpoint("admin-user-unlock", "post", _locked, SEC_ONLY),
    Endpoint("admin-security-policy", "get", lambda ctx: Call(_url("admin-security-policy")), SEC_ONLY),
    Endpoint(
        "admin-security-policy",
        "patch",
        lambda ctx: Call(_url("admin-security-policy"), {"lockout_failures": 4}),
        SEC_ONLY,
    ),
]
