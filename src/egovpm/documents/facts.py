from __future__ import annotations

import datetime as dt
from typing import Any

from egovpm.core.clock import BEIJING
from egovpm.projects.models import Project
from egovpm.rules.facts import DocumentFact


def document_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    """Documents uploaded on or before `as_of`; `archived` only if archived by then."""
    documents = []
    for d in project.documents.all():
        uploaded_on = d.uploaded_at.astimezone(BEIJING).date()
        if uploaded_on <= as_of:
            archived = bool(d.archived and d.archived_at and d.archived_at.astimezone(BEIJING).date() <= as_of)
            documents.append(DocumentFact(d.stage, d.category, uploaded_on, archived))
    return {"documents": tuple(documents)}
