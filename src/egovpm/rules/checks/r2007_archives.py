"""Checks of clause 七 (C7.1, C7.2) over the archives app's facts (rules/facts_archives.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from egovpm.rules.engine import Verdict, check, failed, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_archives import ArchiveAcceptanceFact, FilingScope, scope_status

R = "r2007"


@check(R, "C7.1")
def archive_accepted(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 7: 未经档案验收或档案验收不合格的，不得进行项目竣工验收 (档发[2008]3号) — the latest one counts
    if facts.archive_acceptances is None:
        return not_applicable("missing_records")
    acceptances = cast(tuple[ArchiveAcceptanceFact, ...], facts.archive_acceptances)  # set by the app\'s fact provider
    if ctx.effective_date is not None:
        # archive acceptance comes before completion acceptance: one dated after the completion
        # acceptance's own date does not count for it
        acceptances = tuple(a for a in acceptances if a.accepted_on <= ctx.effective_date)
    if not acceptances:
        # in the compliance report (no action asked) the gate is due only once the project is in
        # acceptance; before that nothing is missing yet
        if ctx.action is None and facts.stage not in ("acceptance", "in_operation"):
            return not_applicable("not_yet")
        return failed("none")
    latest = acceptances[-1]
    args = {"date": latest.accepted_on.isoformat(), "organizer": latest.organizer}
    if latest.result != "passed":
        return failed(**args)
    return passed(**args)


@check(R, "C7.2")
def filing_scope_complete(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 7: 档案工作贯穿项目建设全过程 — the filing scope of every stage passed is on file
    if facts.filing_scope is None:
        return not_applicable("missing_records")
    scope = cast(FilingScope, facts.filing_scope)  # set by the app\'s fact provider
    statuses = scope_status(scope, facts.documents, facts.events)
    due = [s for s in statuses if s.due and not s.item.optional]
    if not due:
        return not_applicable("none_due")
    missing = [s for s in due if s.missing]
    if missing:
        return failed(
            missing="、".join(s.item.zh for s in missing),
            missing_en=", ".join(s.item.en for s in missing),
        )
    return passed(count=len(due))
