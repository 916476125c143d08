"""Permission expectations of the archives app's endpoints (archive acceptance, completeness,
completion-acceptance snapshots, the transfer package) and the documents' new endpoints (PATCH a
document's details, archive it) for the permission matrix."""

from __future__ import annotations

from .endpoints import LEAD_EDIT, READ, Call, Ctx, Endpoint, _url, hidden_from_experts

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
ARCHIVIST_ADD = "401  403 403 404 404 403  403 403  403 404 403 404 201 404  403 403 403"
# fmt: on


def _pid(name: str) -> object:
    return lambda ctx: Call(_url(name, project_id=ctx.pid))


def _acceptance(ctx: Ctx) -> Call:
    body = {"accepted_on": "2026-11-18", "organizer": "国家档案局", "result": "passed", "opinion": "文件齐全，同意通过"}
    return Call(_url("archive-acceptances", project_id=ctx.pid), body)


ENDPOINTS = [
    Endpoint("archive-acceptances", "get", _pid("archive-acceptances"), READ, project_scoped=True),  # type: ignore[arg-type]
    Endpoint("archive-acceptances", "post", _acceptance, ARCHIVIST_ADD, project_scoped=True),
    Endpoint("archive-completeness", "get", _pid("archive-completeness"), READ, project_scoped=True),  # type: ignore[arg-type]
    Endpoint("completion-acceptances", "get", _pid("completion-acceptances"), READ, project_scoped=True),  # type: ignore[arg-type]
    Endpoint("archive-package", "get", _pid("archive-package"), READ, project_scoped=True),  # type: ignore[arg-type]
    Endpoint(
        "document",
        "patch",
        lambda ctx: Call(_url("document", document_id=str(ctx.document().pk)), {"retention": "permanent"}),
        hidden_from_experts(LEAD_EDIT),
        project_scoped=True,
    ),
    Endpoint(
        "document-archive",
        "post",
        lambda ctx: Call(_url("document-archive", document_id=str(ctx.document().pk))),
        hidden_from_experts(LEAD_EDIT),
        project_scoped=True,
    ),
]
