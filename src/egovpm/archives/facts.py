"""Records of the archives app → plain facts for C7.1 and C7.2 (rules/facts_archives.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from egovpm.archives.models import ArchiveAcceptance
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.rules import engine
from egovpm.rules.facts_archives import ArchiveAcceptanceFact, FilingScope, scope_from_table


def filing_scope(regime: str) -> FilingScope:
    return scope_from_table(engine.load_pack(regime).data.get("filing_scope"))


def archive_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: archive acceptances dated on or before `as_of`, oldest first (C7.1 judges the
    last), and the pack's filing scope (C7.2 judges it against `ProjectFacts.documents`); the
    horizon is the first acceptance dated after `as_of`."""
    horizons = Horizons(as_of)
    acceptances: dict[Any, list[ArchiveAcceptanceFact]] = defaultdict(list)
    rows = (
        ArchiveAcceptance.objects.filter(project_id__any_of=project_ids(projects))
        .order_by("project_id", "accepted_on", "recorded_at")
        .values_list("project_id", "accepted_on", "result", "organizer")
    )
    for pk, accepted_on, result, organizer in rows:
        if accepted_on <= as_of:
            acceptances[pk].append(ArchiveAcceptanceFact(accepted_on=accepted_on, result=result, organizer=organizer))
        else:
            horizons.see(pk, accepted_on)
    scopes = {regime: filing_scope(regime) for regime in {p.regime for p in projects}}
    return {
        p.pk: {
            "archive_acceptances": tuple(acceptances.get(p.pk, ())),
            "filing_scope": scopes[p.regime],
            "horizon": horizons.get(p.pk),
        }
        for p in projects
    }
