from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from egovpm.accounts.models import User
from egovpm.core.errors import NotFound
from egovpm.documents.errors import DocumentError
from egovpm.documents.models import Document
from egovpm.projects import policies
from egovpm.projects.models import Project

# What an expert assigned to a review may read of a project's file (with the project summary).
EXPERT_CATEGORIES = ("needs_analysis_report",)


def document_list(*, user: User, project_id: Any) -> QuerySet[Document]:
    return project_documents(user=user, project=policies.project_for(user, project_id, "documents"))


def project_documents(*, user: User, project: Project) -> QuerySet[Document]:
    """document_list of a project the caller reached through project_for(user, ·, "documents") or
    "summary" (the same scope: policies.EXPERT_ACTIONS) — without reading the project again."""
    qs = Document.objects.filter(project=project)
    if policies.expert_only(user, project):
        qs = qs.filter(category__in=EXPERT_CATEGORIES)
    return (
        qs.select_related("uploaded_by", "archived_by")
        .only(*LIST_COLUMNS)
        .order_by("stage", "category", "-version", "-uploaded_at")
    )


# A document's own columns, for `.only()` beside the few columns of a related row a page reads.
COLUMNS = tuple(f.name for f in Document._meta.concrete_fields)
# What the tab 文档 and the API list (documents.api.DocumentOut) read: of the uploader the name and
# department (withdrawable_ids), of who archived it the username — not every column of both users.
_UPLOADER = ("uploaded_by__username", "uploaded_by__display_name", "uploaded_by__department_id")
LIST_COLUMNS = (*COLUMNS, *_UPLOADER, "archived_by__username")


def document_for(*, user: User, document_id: Any) -> Document:
    """A document the user may read: its project must be in the user's scope (else 404). A withdrawn
    one stays readable by its id (the audit trail names it), though no list shows it."""
    try:
        pk = uuid.UUID(str(document_id))
    except ValueError:
        raise NotFound(DocumentError.DOCUMENT_NOT_FOUND) from None
    document = (
        Document.all_objects.filter(pk=pk, project__in=policies.restrict(user, "documents"))
        .select_related("uploaded_by", "archived_by", "withdrawn_by")
        .first()
    )
    if document is None or (
        document.category not in EXPERT_CATEGORIES and policies.expert_only(user, document.project)
    ):
        raise NotFound(DocumentError.DOCUMENT_NOT_FOUND)
    return document


def withdrawable_ids(user: User, documents: list[Document]) -> set[str]:
    """Ids of the listed documents `user` may withdraw: not archived, uploaded by a member of the
    user's own department, the user a department member (the rule of services.document_withdraw,
    which also refuses superseded and cited ones). No query: the list selects the uploaders."""
    if not user.department_id or not user.has_role(*policies.DEPT_ROLES):
        return set()
    superseded = {d.supersedes_id for d in documents if d.supersedes_id}
    return {
        str(d.pk)
        for d in documents
        if not d.archived and d.pk not in superseded and d.uploaded_by.department_id == user.department_id
    }
