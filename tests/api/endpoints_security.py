"""Permission expectations of the security app's endpoints (systems, network exceptions, risk
assessments) for the permission matrix. Builders act as the project's creator (its lead department's
staff) so they need no persona table."""

from __future__ import annotations

from typing import Any

from .endpoints import LEAD_EDIT, NDRC_ONLY, READ, Call, Ctx, Endpoint, _url, hidden_from_experts

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
LEAD_ADD    = "401  201 201 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
# fmt: on

SYSTEM = {
    "name": "政务服务门户",
    "purpose": "public_service",
    "network": "gov_extranet",
    "is_new": True,
    "protection_level": 3,
    "protection_in_needs_analysis": True,
    "protection_in_design": False,
}


def _system(ctx: Ctx, **overrides: Any) -> Any:
    from egovpm.security.services import system_create

    return system_create(actor=ctx.project.created_by, project_id=ctx.project.pk, data={**SYSTEM, **overrides})


def _system_url(ctx: Ctx, **overrides: Any) -> str:
    return _url("system", system_id=str(_system(ctx, **overrides).pk))


ENDPOINTS = [
    Endpoint("systems", "get", lambda ctx: Call(_url("systems", project_id=ctx.pid)), READ, project_scoped=True),
    Endpoint(
        "systems", "post", lambda ctx: Call(_url("systems", project_id=ctx.pid), SYSTEM), LEAD_ADD, project_scoped=True
    ),
    Endpoint("system", "get", lambda ctx: Call(_system_url(ctx)), READ, project_scoped=True),
    Endpoint(
        "system",
        "patch",
        lambda ctx: Call(_system_url(ctx), {"protection_in_design": True, "filing_number": "11010013001-00001"}),
        hidden_from_experts(LEAD_EDIT),
        project_scoped=True,
    ),
    Endpoint(
        "system-network-exception",
        "post",
        lambda ctx: Call(
            _url("system-network-exception", system_id=str(_system(ctx, network="dedicated_new").pk)),
            {"reason": "偏远站点政务外网尚未覆盖"},
        ),
        hidden_from_experts(NDRC_ONLY),
        project_scoped=True,
    ),
    Endpoint(
        "risk-assessments",
        "get",
        lambda ctx: Call(_url("risk-assessments", project_id=ctx.pid)),
        READ,
        project_scoped=True,
    ),
    Endpoint(
        "risk-assessments",
        "post",
        lambda ctx: Call(
            _url("risk-assessments", project_id=ctx.pid),
            {"assessed_on": "2026-11-02", "assessor": "测评中心", "summary": "未发现高风险"},
        ),
        LEAD_ADD,
        project_scoped=True,
    ),
]
