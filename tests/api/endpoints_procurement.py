"""Permission expectations of the procurement app's endpoints (the register, its import and
template, the 自主可控 shares, the delivery modes) for the permission matrix. Builders act as the
project's creator (its lead department's staff)."""

from __future__ import annotations

import io
from typing import Any

from .endpoints import LEAD_EDIT, READ, Call, Ctx, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
LEAD_ADD    = "401  201 201 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
LEAD_DELETE = "401  204 204 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
DEPARTMENT  = "401  200 200 404 404 404  200 200  404 404 404 404 404 404  403 403 403"
# fmt: on

BODY = {
    "category": "basic_software",
    "method": "open_tender",
    "subject": "数据库管理系统",
    "amount": "1200000.00",
    "supplier": "示例软件有限公司",
    "supplier_credit_code": "91350100M000100Y43",
    "contract_no": "HT-2026-001",
    "contract_date": "2026-03-15",
    "secure_controllable": False,
}


def _procurement_url(ctx: Ctx) -> str:
    from egovpm.procurement.services import procurement_create

    p = procurement_create(actor=ctx.project.created_by, project_id=ctx.project.pk, data=BODY)
    return _url("procurement", procurement_id=str(p.pk))


def _import(ctx: Ctx) -> Call:
    from openpyxl import Workbook

    from egovpm.procurement.xlsx import HEADER

    wb = Workbook()
    sheet: Any = wb.active
    sheet.append(HEADER)
    sheet.append(["基础软件", "公开招标", "数据库", "100.00", "某公司", "91350100M000100Y43", "HT-1", "2026-03-15"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "p.xlsx"
    return Call(_url("procurements-import", project_id=ctx.pid), {"file": buffer}, format="multipart")


MODES = {"modes": [{"mode": "data_hosting", "provider": "某云", "scope": "数据托管"}]}

ENDPOINTS = [
    Endpoint(
        "procurements", "get", lambda ctx: Call(_url("procurements", project_id=ctx.pid)), READ, project_scoped=True
    ),
    Endpoint(
        "procurements",
        "post",
        lambda ctx: Call(_url("procurements", project_id=ctx.pid), BODY),
        LEAD_ADD,
        project_scoped=True,
    ),
    Endpoint(
        "procurement",
        "patch",
        lambda ctx: Call(_procurement_url(ctx), {"subject": "改"}),
        LEAD_EDIT,
        project_scoped=True,
    ),
    Endpoint("procurement", "delete", lambda ctx: Call(_procurement_url(ctx)), LEAD_DELETE, project_scoped=True),
    Endpoint("procurements-import", "post", _import, LEAD_EDIT, project_scoped=True),
    Endpoint(
        "procurements-template",
        "get",
        lambda ctx: Call(_url("procurements-template", project_id=ctx.pid)),
        READ,
        project_scoped=True,
    ),
    Endpoint(
        "procurement-shares",
        "get",
        lambda ctx: Call(_url("procurement-shares", project_id=ctx.pid)),
        READ,
        project_scoped=True,
    ),
    Endpoint(
        "department-procurement-shares",
        "get",
        lambda ctx: Call(_url("department-procurement-shares", code="moa")),
        DEPARTMENT,
    ),
    Endpoint(
        "delivery-modes",
        "put",
        lambda ctx: Call(_url("delivery-modes", project_id=ctx.pid), MODES),
        LEAD_EDIT,
        project_scoped=True,
    ),
]
