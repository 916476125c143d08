"""Permission expectations of the evaluations app's endpoints (post-evaluations of a project,
NDRC's indicator templates) for the permission matrix.

The matrix's project is a draft: NDRC, who may record a post-evaluation, meets the state (409);
everyone else is refused before that (scope 404, role 403). The 201 of an assigned evaluator on a
project in operation is tested in tests/evaluations/."""

from __future__ import annotations

from .endpoints import Call, Ctx, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
EVAL_READ      = "401  200 200 404 404 200  200 200  404 404 200 404 403 404  403 403 403"
EVAL_ADD       = "401  403 403 404 404 403  409 403  403 404 403 404 403 404  403 403 403"
TEMPLATE_READ  = "401  403 403 403 403 403  200 403  403 403 200 200 403 403  403 403 403"
TEMPLATE_ADD   = "401  403 403 403 403 403  201 403  403 403 403 403 403 403  403 403 403"
# fmt: on

TREE = [
    {"name": "运行效率", "weight": "40", "dimension": "efficiency"},
    {"name": "应用效果", "weight": "60", "dimension": "effect"},
]


def _evaluation(ctx: Ctx) -> Call:
    body = {
        "evaluated_on": "2026-11-10",
        "organisation": "某咨询机构",
        "efficiency_score": 85,
        "effect_score": 78,
        "goals": [{"goal": "建成统一平台", "rating": "achieved", "evidence": "已上线"}],
        "conclusion": "successful",
        "report": str(ctx.document().pk),
    }
    return Call(_url("post-evaluations", project_id=ctx.pid), body)


def _template(ctx: Ctx) -> Call:
    from egovpm.evaluations.services import template_add

    template = template_add(actor=ctx.personas["ndrc"], name="矩阵模板", indicators=TREE)
    return Call(_url("evaluation-template", template_id=str(template.pk)))


ENDPOINTS = [
    Endpoint(
        "post-evaluations",
        "get",
        lambda ctx: Call(_url("post-evaluations", project_id=ctx.pid)),
        EVAL_READ,
        project_scoped=True,
    ),
    Endpoint("post-evaluations", "post", _evaluation, EVAL_ADD, project_scoped=True),
    Endpoint("evaluation-templates", "get", lambda ctx: Call(_url("evaluation-templates")), TEMPLATE_READ),
    Endpoint(
        "evaluation-templates",
        "post",
        lambda ctx: Call(_url("evaluation-templates"), {"name": "后评价指标", "indicators": TREE}),
        TEMPLATE_ADD,
    ),
    Endpoint("evaluation-template", "get", _template, TEMPLATE_READ),
]
