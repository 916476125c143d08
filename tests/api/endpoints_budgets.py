"""Permission expectations of the budgets endpoints (api.md "Budget"), for test_permission_matrix.

Builders put the target project into the state the call needs: a draft for the estimate, a
project in construction with an approved 1 000 000.00 estimate for adjustments and spending."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from typing import Any

from .endpoints import LEAD_EDIT, NDRC_ONLY, READ, Call, Ctx, Endpoint, _url, hidden_from_experts

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
LEAD_ADD = "401  201 201 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
DECIDE   = "401  403 200 404 404 403  200 403  403 404 403 404 403 404  403 403 403"
# fmt: on

LINES = [("01", "应用系统", "600000.00"), ("02", "基础设施", "300000.00"), ("03", "预备费", "100000.00")]


def _estimate(ctx: Ctx) -> None:
    from egovpm.budgets.models import Estimate
    from egovpm.budgets.services import LineIn, estimate_put

    if not Estimate.objects.filter(project=ctx.project).exists():
        estimate_put(
            actor=ctx.personas[ctx.p("staff_a")],
            project_id=ctx.project.pk,
            total=D("1000000.00"),
            items=[LineIn(c, n, D(a)) for c, n, a in LINES],
        )


def _in_construction(ctx: Ctx) -> None:
    """Put the target project in construction with the estimate above as its baseline. The
    lifecycle itself is tested elsewhere (tests/budgets walk it through the real transitions);
    here the stage is set directly so the matrix stays fast."""
    from types import SimpleNamespace

    from django.db import transaction

    from egovpm.budgets.services import baseline_on_approval
    from egovpm.projects.models import Project

    _estimate(ctx)
    Project.objects.filter(pk=ctx.project.pk).update(stage="construction")
    ctx.project.refresh_from_db()
    event = SimpleNamespace(
        action="approve_preliminary_design",
        effective_date=dt.date(2024, 6, 1),
        approval_reference="发改高技〔2024〕1号",
    )
    with transaction.atomic():  # the hook runs inside the transition's transaction
        baseline_on_approval(ctx.project, event, ctx.personas["ndrc"])  # type: ignore[arg-type]


def _request(ctx: Ctx, route: str = "self_approval") -> Any:
    from egovpm.budgets.services import LineIn, adjustment_create

    _in_construction(ctx)
    items = [LineIn("01", "", D("550000.00")), LineIn("02", "", D("350000.00"))]
    reason = "optimization" if route == "self_approval" else "other"
    adjustment = adjustment_create(
        actor=ctx.personas[ctx.p("staff_a")],
        project_id=ctx.project.pk,
        items=items,
        goals_unchanged=True,
        reason=reason,
        description="优化应用系统技术方案",
    )
    assert adjustment.route == route
    return adjustment


def _approved(ctx: Ctx) -> Any:
    from egovpm.budgets.services import adjustment_decide

    adjustment = _request(ctx)
    adjustment_decide(actor=ctx.personas[ctx.p("leader_a")], adjustment_id=adjustment.pk, decision="approve")
    return adjustment


def _approval_document(ctx: Ctx) -> Any:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.documents.services import document_upload

    return document_upload(
        actor=ctx.personas[ctx.p("staff_a")],
        project_id=ctx.project.pk,
        file=SimpleUploadedFile("approval.pdf", b"%PDF-1.4 approval", content_type="application/pdf"),
        stage="construction",
        category="adjustment_approval",
        title="概算调整批复文件",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )


def _adjustment_url(name: str, adjustment: Any, data: Any = None) -> Call:
    return Call(_url(name, adjustment_id=str(adjustment.pk)), data)


def _put_estimate(ctx: Ctx) -> Call:
    body = {"total": "1000000.00", "items": [{"code": c, "name": n, "amount": a} for c, n, a in LINES]}
    return Call(_url("estimate", project_id=ctx.pid), body)


def _create(ctx: Ctx) -> Call:
    _in_construction(ctx)
    body = {
        "items": [{"code": "01", "amount": "500000.00"}, {"code": "02", "amount": "400000.00"}],
        "goals_unchanged": True,
        "reason": "optimization",
        "description": "技术方案优化",
    }
    return Call(_url("adjustments", project_id=ctx.pid), body)


def _preview(ctx: Ctx) -> Call:
    _in_construction(ctx)
    body = {"items": [{"code": "01", "amount": "500000.00"}], "goals_unchanged": True, "reason": "schedule"}
    return Call(_url("adjustment-preview", project_id=ctx.pid), body)


def _decide(ctx: Ctx) -> Call:
    route = "ndrc_approval" if ctx.persona == "ndrc" else "self_approval"
    return _adjustment_url("adjustment-decide", _request(ctx, route), {"decision": "approve", "comment": "同意"})


def _file(ctx: Ctx) -> Call:
    adjustment = _approved(ctx)
    body = {"filed_on": "2026-11-20", "document": str(_approval_document(ctx).pk), "reference": "备案〔2026〕1号"}
    return _adjustment_url("adjustment-file", adjustment, body)


def _acknowledge(ctx: Ctx) -> Call:
    from egovpm.budgets.services import adjustment_file

    adjustment = _approved(ctx)
    adjustment_file(
        actor=ctx.personas[ctx.p("staff_a")],
        adjustment_id=adjustment.pk,
        filed_on=dt.date(2026, 11, 20),
        document_id=_approval_document(ctx).pk,
    )
    return _adjustment_url("adjustment-acknowledge", adjustment)


def _spend(ctx: Ctx) -> Call:
    _in_construction(ctx)
    body = {"line": "01", "spent_on": "2026-10-08", "amount": "125000.50", "voucher": "记-2026-10-008"}
    return Call(_url("expenditures", project_id=ctx.pid), body)


def _import(ctx: Ctx) -> Call:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    _in_construction(ctx)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单项工程编码", "支出日期", "金额（元）", "凭证号", "备注"])
    sheet.append(["01", "2026-09-01", "10000.00", "记-001", "首付款"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile(
        "spending.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return Call(_url("expenditures-import", project_id=ctx.pid), {"file": upload}, format="multipart")


def _pid(name: str, construction: bool = False) -> Any:
    def build(ctx: Ctx) -> Call:
        if construction:
            _in_construction(ctx)
        return Call(_url(name, project_id=ctx.pid))

    return build


ENDPOINTS = [
    Endpoint("estimate", "get", _pid("estimate"), READ, project_scoped=True),
    Endpoint("estimate", "put", _put_estimate, LEAD_EDIT, project_scoped=True),
    Endpoint("estimate-baselines", "get", _pid("estimate-baselines", True), READ, project_scoped=True),
    Endpoint("adjustments", "get", _pid("adjustments"), READ, project_scoped=True),
    Endpoint("adjustments", "post", _create, LEAD_ADD, project_scoped=True),
    Endpoint("adjustment-preview", "post", _preview, LEAD_EDIT, project_scoped=True),
    Endpoint("adjustment", "get", lambda ctx: _adjustment_url("adjustment", _request(ctx)), READ, project_scoped=True),
    Endpoint("adjustment-decide", "post", _decide, hidden_from_experts(DECIDE), project_scoped=True),
    Endpoint(
        "adjustment-withdraw",
        "post",
        lambda ctx: _adjustment_url("adjustment-withdraw", _request(ctx)),
        hidden_from_experts(LEAD_EDIT),
        project_scoped=True,
    ),
    Endpoint("adjustment-file", "post", _file, hidden_from_experts(LEAD_EDIT), project_scoped=True),
    Endpoint("adjustment-acknowledge", "post", _acknowledge, hidden_from_experts(NDRC_ONLY), project_scoped=True),
    Endpoint("expenditures", "get", _pid("expenditures"), READ, project_scoped=True),
    Endpoint("expenditures", "post", _spend, LEAD_ADD, project_scoped=True),
    Endpoint("expenditures-import", "post", _import, LEAD_ADD, project_scoped=True),
    Endpoint("budget-execution", "get", _pid("budget-execution", True), READ, project_scoped=True),
]
