"""The seam through which the project's stored compliance verdict (ADR 0013, app `compliance`,
which imports `projects` and so cannot be imported here) answers "the project's compliance today".

`compliance` registers its reader in ComplianceConfig.ready. `compliance_today` answers what
selectors.project_compliance(project=…, language=…) would answer for today — the same rules,
statuses and messages — from the stored verdict when it is fresh (ADR 0013's freshness: the stored
status, key and args equal a full evaluation of today; the addendum of ADR 0013), else None and the
caller evaluates in full."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from egovpm.projects.models import Project

StoredReport = Callable[[Project, str], "dict[str, Any] | None"]
_readers: list[StoredReport] = []


def register_stored_compliance(reader: StoredReport) -> None:
    if reader not in _readers:
        _readers.append(reader)


def compliance_today(project: Project, language: str) -> dict[str, Any] | None:
    """Today's compliance report of `project` from its stored verdict, or None (no reader
    registered, or no fresh verdict could be had)."""
    for reader in _readers:
        report = reader(project, language)
        if report is not None:
            return report
    return None
