"""Permission expectations of the inspections app's endpoints (clause 8: inspections, findings,
the 整改通知书, rectification items and their answer, close and reopen) for the permission matrix.

The inspection is opened by NDRC with `inspector_assigned` (on the other side: `inspector_other`)
as its inspector; an inspector who is not assigned to the project does not see it (404)."""

from __future__ import annotations

from typing import Any

from .endpoints import LEAD_EDIT, NDRC_ADD, READ, Call, Ctx, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
INSPECTOR_ADD = "401  403 403 404 404 403  403 403  403 404 201 404 403 404  403 403 403"
INSPECTOR_ACT = "401  403 403 404 404 403  403 403  403 404 200 404 403 404  403 403 403"
# fmt: on


def _opened(ctx: Ctx) -> Any:
    from egovpm.inspections.services import finding_add, inspection_open

    inspection = inspection_open(
        actor=ctx.personas["ndrc"],
        project_id=ctx.project.pk,
        kind="inspection",
        scope=["progress", "budget_execution"],
        inspectors=[ctx.p("inspector_assigned")],
        started_on="2026-11-02",
    )
    finding_add(
        actor=ctx.personas[ctx.p("inspector_assigned")],
        inspection_id=inspection.pk,
        area="progress",
        description="进度滞后于批复工期",
        severity="major",
        rectification_required=True,
        due_date="2026-12-31",
    )
    return inspection


def _issued(ctx: Ctx) -> Any:
    from egovpm.inspections.services import inspection_issue

    inspection = _opened(ctx)
    inspection_issue(
        actor=ctx.personas[ctx.p("inspector_assigned")], inspection_id=inspection.pk, ended_on="2026-11-19"
    )
    return inspection


def _item(ctx: Ctx, answered: bool) -> str:
    from egovpm.inspections.models import RectificationItem
    from egovpm.inspections.services import rectification_answer

    item = RectificationItem.objects.get(finding__inspection=_issued(ctx))
    if answered:
        rectification_answer(actor=ctx.personas[ctx.p("staff_a")], item_id=item.pk, text="已调整进度计划")
    return str(item.pk)


def _open(ctx: Ctx) -> Call:
    body = {
        "kind": "audit",
        "scope": ["procurement"],
        "inspectors": [ctx.p("inspector_assigned")],
        "co_organisers": ["mof"],
        "started_on": "2026-11-18",
    }
    return Call(_url("inspections", project_id=ctx.pid), body)


def _finding(ctx: Ctx) -> Call:
    body = {
        "area": "budget_execution",
        "description": "预算执行率偏低",
        "severity": "minor",
        "rectification_required": True,
        "due_date": "2027-01-31",
    }
    return Call(_url("inspection-findings", inspection_id=str(_opened(ctx).pk)), body)


ENDPOINTS = [
    Endpoint(
        "inspections", "get", lambda ctx: Call(_url("inspections", project_id=ctx.pid)), READ, project_scoped=True
    ),
    Endpoint("inspections", "post", _open, NDRC_ADD, project_scoped=True),
    Endpoint(
        "inspection",
        "get",
        lambda ctx: Call(_url("inspection", inspection_id=str(_opened(ctx).pk))),
        READ,
        project_scoped=True,
    ),
    Endpoint("inspection-findings", "post", _finding, INSPECTOR_ADD, project_scoped=True),
    Endpoint(
        "inspection-issue",
        "post",
        lambda ctx: Call(_url("inspection-issue", inspection_id=str(_opened(ctx).pk)), {"ended_on": "2026-11-20"}),
        INSPECTOR_ACT,
        project_scoped=True,
    ),
    Endpoint(
        "inspection-notice",
        "get",
        lambda ctx: Call(_url("inspection-notice", inspection_id=str(_issued(ctx).pk))),
        READ,
        project_scoped=True,
    ),
    Endpoint(
        "rectifications",
        "get",
        lambda ctx: Call(_url("rectifications", project_id=ctx.pid) + "?as_of=2027-01-05"),
        READ,
        project_scoped=True,
    ),
    Endpoint(
        "rectification-answer",
        "post",
        lambda ctx: Call(
            _url("rectification-answer", item_id=_item(ctx, answered=False)),
            {"text": "已完成整改", "documents": [str(ctx.document().pk)]},
        ),
        LEAD_EDIT,
        project_scoped=True,
    ),
    Endpoint(
        "rectification-close",
        "post",
        lambda ctx: Call(_url("rectification-close", item_id=_item(ctx, answered=True)), {"comment": "整改到位"}),
        INSPECTOR_ACT,
        project_scoped=True,
    ),
    Endpoint(
        "rectification-reopen",
        "post",
        lambda ctx: Call(
            _url("rectification-reopen", item_id=_item(ctx, answered=True)),
            {"comment": "证明材料不足", "due_date": "2027-02-28"},
        ),
        INSPECTOR_ACT,
        project_scoped=True,
    ),
]
