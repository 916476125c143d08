"""Report records → plain facts for C4.1/C4.2 (registered in ReportsConfig.ready)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.reports.models import ReportSubmission
from egovpm.rules.facts_reports import ReportsFacts, ReportSubmissionFact, beijing_date


def submission_facts_batch(
    pks: Sequence[Any], as_of: dt.date | None = None, horizons: Horizons | None = None
) -> dict[Any, tuple[ReportSubmissionFact, ...]]:
    """Per project pk: submissions (and returns) whose own times fall on or before `as_of` (all
    when None), by period and version, in one query. `horizons`, when given, sees the submission
    and return dates."""
    out: dict[Any, list[ReportSubmissionFact]] = defaultdict(list)
    rows = (
        ReportSubmission.objects.filter(project_id__any_of=pks)
        .order_by("project_id", "period", "version")
        .values_list("project_id", "period", "version", "submitted_at", "returned__returned_at")
    )
    for pk, period, version, submitted_at, returned_at in rows:
        submitted_on = beijing_date(submitted_at)
        returned_on = beijing_date(returned_at) if returned_at is not None else None
        if horizons is not None:
            horizons.see(pk, submitted_on, returned_on)
        if as_of is not None and submitted_on > as_of:
            continue
        counted = returned_on is not None and (as_of is None or returned_on <= as_of)
        out[pk].append(ReportSubmissionFact(period, version, submitted_at, returned_at if counted else None))
    return {pk: tuple(out.get(pk, ())) for pk in pks}


def submission_facts(project: Project, as_of: dt.date | None = None) -> tuple[ReportSubmissionFact, ...]:
    """Submissions (and returns) whose own times fall on or before `as_of` (all when None)."""
    return submission_facts_batch([project.pk], as_of)[project.pk]


def report_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project the submissions as of `as_of`; the horizon is the first submission or return
    (Beijing dates) after it."""
    horizons = Horizons(as_of)
    submissions = submission_facts_batch(project_ids(projects), as_of, horizons)
    return {
        p.pk: {"reports": ReportsFacts(submissions=submissions[p.pk]), "horizon": horizons.get(p.pk)} for p in projects
    }
