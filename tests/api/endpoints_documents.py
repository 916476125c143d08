"""Permission expectations of the documents app's own new endpoint (issue 15 item 7): withdrawing
(撤回) a document, by its uploader's department while it is not archived. The document of the
matrix is uploaded by the lead department's staff (Ctx.document), so the lead department withdraws
it; a participating department, NDRC and MoF read it but may not (403); outside the project's
"view" scope — experts included — it does not exist (404)."""

from __future__ import annotations

from .endpoints import LEAD_EDIT, Call, Endpoint, _url, hidden_from_experts

ENDPOINTS = [
    Endpoint(
        "document-withdraw",
        "post",
        lambda ctx: Call(_url("document-withdraw", document_id=str(ctx.document().pk)), {"reason": "上传错了文件"}),
        hidden_from_experts(LEAD_EDIT),
        project_scoped=True,
    ),
]
