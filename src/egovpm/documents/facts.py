"""Document records → plain facts (`ProjectFacts.documents`), registered in DocumentsConfig.ready."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models.functions import TruncDate

from egovpm.core.clock import BEIJING
from egovpm.documents.models import Document
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.rules.facts import DocumentFact


def document_facts_batch(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: documents uploaded on or before `as_of`; `archived` only if archived by then.
    The horizon is the first upload or archiving (Beijing dates) after `as_of`."""
    horizons = Horizons(as_of)
    documents: dict[Any, list[DocumentFact]] = defaultdict(list)
    rows = (
        Document.objects.filter(project_id__any_of=project_ids(projects))
        .order_by("project_id", "stage", "category", "-version")
        .annotate(
            # the Beijing dates, computed by the database (no instant parsed and converted a row)
            uploaded_on=TruncDate("uploaded_at", tzinfo=BEIJING),
            archived_on=TruncDate("archived_at", tzinfo=BEIJING),
        )
        .values_list("project_id", "stage", "category", "uploaded_on", "archived", "archived_on")
    )
    for pk, stage, category, uploaded_on, archived, archived_day in rows:
        archived_on = archived_day if archived else None
        horizons.see(pk, uploaded_on, archived_on)
        if uploaded_on <= as_of:
            documents[pk].append(
                DocumentFact(stage, category, uploaded_on, archived_on is not None and archived_on <= as_of)
            )
    return {p.pk: {"documents": tuple(documents.get(p.pk, ())), "horizon": horizons.get(p.pk)} for p in projects}


def document_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    """The same for one project (the batch of one)."""
    return document_facts_batch([project], as_of)[project.pk]
