"""Permission expectations of the progress-report endpoints (api.md "Reports"), for
test_permission_matrix.

Builders put the target project into construction from 1 March 2025 (so on the pinned date it owes
2025-H1, 2025, 2026-H1 and 2026) and, where the call needs one, a submitted 2025-H1 report — for
every persona alike, so that a persona outside the read scope is refused by the scope (404) and not
by a report that was never made (which hid the expert's access to the report document)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .endpoints import LEAD_EDIT, NDRC_ONLY, READ, Call, Ctx, Endpoint, _url, hidden_from_experts

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
LEAD_SUBMIT = "401  201 201 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
RECIPIENTS  = "401  403 403 404 404 403  200 200  403 404 403 404 403 404  403 403 403"
PORTFOLIO   = "401  403 403 403 403 403  200 200  403 403 403 403 403 403  403 403 403"
# fmt: on
# The working copy (issue 15) is the lead department's: others who read the project get 403, those
# outside its "view" scope (experts too) 404.
LEAD_DRAFT = hidden_from_experts(LEAD_EDIT)

PERIOD = "2025-H1"
SECTIONS = {
    "progress": "平台主体开发完成。",
    "content": "完成业务应用一期。",
    "tendering": "应用开发公开招标。",
    "budget_execution": "累计完成投资六百万元。",
    "problems": "无。",
}


def _in_construction(ctx: Ctx) -> None:
    from conftest import advance

    actors = {name: ctx.personas[ctx.p(name)] for name in ("staff_a", "leader_a")} | {"ndrc": ctx.personas["ndrc"]}
    ctx.project = advance(ctx.project, actors, "construction", start=dt.date(2024, 11, 1))


def _submitted(ctx: Ctx) -> None:
    from egovpm.reports.services import report_submit

    _in_construction(ctx)
    report_submit(actor=ctx.personas[ctx.p("staff_a")], project_id=ctx.project.pk, period=PERIOD, sections=SECTIONS)


def _build(name: str, state: Callable[[Ctx], None] | None, data: object = None) -> Callable[[Ctx], Call]:
    def build(ctx: Ctx) -> Call:
        if state is not None:  # whoever asks: a 404 must come from the scope, not from a missing report
            state(ctx)
        path = _url(name, project_id=ctx.pid) if name == "reports" else _url(name, project_id=ctx.pid, period=PERIOD)
        return Call(path, data)

    return build


ENDPOINTS: list[Endpoint] = [
    Endpoint("reports", "get", _build("reports", _in_construction), READ, project_scoped=True),
    Endpoint("report", "get", _build("report", _submitted), READ, project_scoped=True),
    Endpoint("report-prefill", "get", _build("report-prefill", _in_construction), READ, project_scoped=True),
    Endpoint("report-draft", "get", _build("report-draft", _in_construction), LEAD_DRAFT, project_scoped=True),
    Endpoint(
        "report-draft",
        "put",
        _build("report-draft", _in_construction, {"sections": SECTIONS}),
        LEAD_DRAFT,
        project_scoped=True,
    ),
    Endpoint(
        "report-submit",
        "post",
        _build("report-submit", _in_construction, {"sections": SECTIONS}),
        LEAD_SUBMIT,
        project_scoped=True,
    ),
    Endpoint(
        "report-return",
        "post",
        _build("report-return", _submitted, {"comment": "请补充招标投标情况"}),
        NDRC_ONLY,
        project_scoped=True,
    ),
    Endpoint("report-acknowledge", "post", _build("report-acknowledge", _submitted), RECIPIENTS, project_scoped=True),
    Endpoint("report-document", "get", _build("report-document", _submitted), READ, project_scoped=True),
    Endpoint("report-document-pdf", "get", _build("report-document-pdf", _submitted), READ, project_scoped=True),
    Endpoint("report-portfolio", "get", lambda ctx: Call(_url("report-portfolio")), PORTFOLIO),
    Endpoint("report-portfolio-export", "get", lambda ctx: Call(_url("report-portfolio-export")), PORTFOLIO),
]
