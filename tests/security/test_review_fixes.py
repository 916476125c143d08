"""Findings of the issue-6 review, each pinned by a test."""

from __future__ import annotations

import datetime as dt

from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_archives import ArchiveAcceptanceFact
from egovpm.rules.facts_security import SystemFact

PACK = engine.load_pack("r2007")


def judge(rule: str, facts: ProjectFacts, ctx: Context) -> str:
    return engine.evaluate_rule(PACK, PACK.rule(rule), facts, ctx).status


def test_an_exception_stops_covering_a_system_moved_off_the_dedicated_network() -> None:
    """NDRC excepted a new dedicated network; the system later moved to the internet: C9.2 judges it."""
    moved = SystemFact(
        name="内部办公系统",
        purpose="internal_office",
        network="internet",
        is_new=True,
        protection_level=2,
        exception_reason="偏远站点",
        exception_granted_on=dt.date(2026, 1, 5),
    )
    facts = ProjectFacts(stage="construction", lead_department_kind="central", systems=(moved,))
    assert judge("C9.2", facts, Context(as_of=dt.date(2026, 11, 20))) == "fail"
    still_there = SystemFact(**{**moved.__dict__, "network": "dedicated_new"})
    facts = ProjectFacts(stage="construction", lead_department_kind="central", systems=(still_there,))
    assert judge("C9.1", facts, Context(as_of=dt.date(2026, 11, 20), action="submit_proposal")) == "pass"


def test_archive_acceptance_after_the_completion_date_does_not_count() -> None:
    """Clause 7: archive acceptance comes before completion acceptance."""
    facts = ProjectFacts(
        stage="acceptance",
        lead_department_kind="central",
        archive_acceptances=(ArchiveAcceptanceFact(accepted_on=dt.date(2026, 11, 28), result="passed"),),
    )
    late = Context(
        as_of=dt.date(2026, 11, 28), action="pass_completion_acceptance", effective_date=dt.date(2021, 12, 16)
    )
    assert judge("C7.1", facts, late) == "fail"
    on_time = Context(
        as_of=dt.date(2026, 11, 28), action="pass_completion_acceptance", effective_date=dt.date(2026, 11, 28)
    )
    assert judge("C7.1", facts, on_time) == "pass"
