"""Report records → plain facts for C4.1/C4.2 (registered in ReportsConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from egovpm.projects.models import Project
from egovpm.rules.facts_reports import ReportsFacts, ReportSubmissionFact, beijing_date


def submission_facts(project: Project, as_of: dt.date | None = None) -> tuple[ReportSubmissionFact, ...]:
    """Submissions (and returns) whose own times fall on or before `as_of` (all when None)."""
    out = []
    for s in project.report_submissions.all().select_related("returned"):
        if as_of is not None and beijing_date(s.submitted_at) > as_of:
            continue
        ret = getattr(s, "returned", None)
        returned_at = ret.returned_at if ret is not None else None
        if returned_at is not None and as_of is not None and beijing_date(returned_at) > as_of:
            returned_at = None
        out.append(ReportSubmissionFact(s.period, s.version, s.submitted_at, returned_at))
    return tuple(out)


def report_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    return {"reports": ReportsFacts(submissions=submission_facts(project, as_of))}
