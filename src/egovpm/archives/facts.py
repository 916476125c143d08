"""Records of the archives app → plain facts for C7.1 and C7.2 (rules/facts_archives.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from egovpm.archives.models import ArchiveAcceptance
from egovpm.projects.models import Project
from egovpm.rules import engine
from egovpm.rules.facts_archives import ArchiveAcceptanceFact, FilingScope, scope_from_table


def filing_scope(regime: str) -> FilingScope:
    return scope_from_table(engine.load_pack(regime).data.get("filing_scope"))


def archive_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    """Archive acceptances dated on or before `as_of`, oldest first (C7.1 judges the last), and the
    pack's filing scope (C7.2 judges it against `ProjectFacts.documents`)."""
    acceptances = tuple(
        ArchiveAcceptanceFact(accepted_on=a.accepted_on, result=a.result, organizer=a.organizer)
        for a in ArchiveAcceptance.objects.filter(project=project, accepted_on__lte=as_of).order_by(
            "accepted_on", "recorded_at"
        )
    )
    return {"archive_acceptances": acceptances, "filing_scope": filing_scope(project.regime)}
