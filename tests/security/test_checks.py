"""The checks of C6.x, C7.x and C9.x as pure functions over plain facts (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from egovpm.rules import engine
from egovpm.rules.facts import Context, DocumentFact, ProjectFacts, StageEventFact
from egovpm.rules.facts_archives import ArchiveAcceptanceFact, scope_from_table
from egovpm.rules.facts_security import RiskAssessmentFact, SystemFact

TODAY = dt.date(2026, 11, 20)
OWN = ["C6.1", "C6.2", "C6.3", "C7.1", "C7.2", "C9.1", "C9.2", "C9.3"]
BASE = ProjectFacts(stage="draft", lead_department_kind="central")


def judge(rule_id: str, facts: ProjectFacts, **ctx: object) -> engine.Result:
    pack = engine.load_pack("r2007")
    return engine.evaluate_rule(pack, pack.rule(rule_id), facts, Context(as_of=TODAY, **ctx))  # type: ignore[arg-type]


@pytest.mark.parametrize("rule_id", OWN)
def test_without_records_the_rules_are_not_applicable_never_pass(rule_id: str) -> None:
    result = judge(rule_id, BASE)
    assert result.status == "not_applicable"
    assert "not part of the product yet" in result.message_en


@pytest.mark.parametrize("rule_id", OWN)
def test_every_message_key_has_both_languages(rule_id: str) -> None:
    rule = engine.load_pack("r2007").rule(rule_id)
    for key, message in rule.messages.items():
        assert message["zh"].strip() and message["en"].strip(), (rule_id, key)


def system(**kw: object) -> SystemFact:
    fields: dict[str, object] = {
        "name": "门户",
        "purpose": "public_service",
        "network": "gov_extranet",
        "is_new": True,
        "protection_level": 2,
        "protection_in_needs_analysis": True,
        "protection_in_design": True,
    }
    fields.update(kw)
    return SystemFact(**fields)  # type: ignore[arg-type]


def with_systems(*systems: SystemFact, **kw: object) -> ProjectFacts:
    return ProjectFacts(
        stage=str(kw.pop("stage", "needs_analysis")),
        lead_department_kind="central",
        systems=systems,
        risk_assessments=(),
        **kw,
    )  # type: ignore[arg-type]


def test_c61_parts() -> None:
    needs_only = with_systems(system(protection_in_design=False))
    assert judge("C6.1", needs_only, action="submit_proposal").status == "pass"
    assert judge("C6.1", needs_only, action="approve_preliminary_design").status == "fail"
    assert judge("C6.1", with_systems(), action="submit_proposal").status == "not_applicable"
    assert judge("C6.1", with_systems(), action="approve_preliminary_design").status == "fail"
    tiered = with_systems(system(protection_level=None, classified_tier="secret"))
    assert judge("C6.1", tiered, action="approve_preliminary_design").status == "pass"
    ungraded = with_systems(system(protection_level=None))
    assert judge("C6.1", ungraded, action="submit_proposal").status == "fail"


def test_c91_exception() -> None:
    dedicated = system(network="dedicated_new")
    assert judge("C9.1", with_systems(dedicated)).status == "fail"
    excepted = system(network="dedicated_new", exception_reason="偏远", exception_granted_on=TODAY)
    assert judge("C9.1", with_systems(excepted)).status == "pass"


def test_c62_window_bounds() -> None:
    events = (StageEventFact("start_trial_operation", "construction", "trial_operation", dt.date(2026, 3, 1)),)

    def facts(day: dt.date) -> ProjectFacts:
        return ProjectFacts(
            stage="trial_operation",
            lead_department_kind="central",
            events=events,
            risk_assessments=(RiskAssessmentFact(day),),
        )

    gate = {"action": "pass_preliminary_acceptance", "effective_date": dt.date(2026, 4, 1)}
    assert judge("C6.2", facts(dt.date(2026, 3, 1)), **gate).status == "pass"
    assert judge("C6.2", facts(dt.date(2026, 4, 1)), **gate).status == "pass"
    assert judge("C6.2", facts(dt.date(2026, 2, 28)), **gate).status == "fail"
    assert judge("C6.2", facts(dt.date(2026, 4, 2)), **gate).status == "fail"


def test_c62_open_trial_window_does_not_turn_with_the_date_alone() -> None:
    """While trial operation runs, C6.2 says "ongoing" (not today's date), so its stored verdict
    holds across midnight; a later-dated assessment bounds it to the day before that date."""
    events = (StageEventFact("start_trial_operation", "construction", "trial_operation", dt.date(2026, 3, 1)),)
    pack = engine.load_pack("r2007")

    def at(day: dt.date, *assessed: dt.date) -> engine.Result:
        facts = ProjectFacts(
            stage="trial_operation",
            lead_department_kind="central",
            events=events,
            risk_assessments=tuple(RiskAssessmentFact(a) for a in assessed),
        )
        return engine.evaluate_rule(pack, pack.rule("C6.2"), facts, Context(as_of=day))

    today, tomorrow = at(TODAY), at(TODAY + dt.timedelta(days=1))
    assert (
        (today.status, today.message_zh)
        == (tomorrow.status, tomorrow.message_zh)
        == (
            "fail",
            "试运行期间（2026-03-01 起，尚未结束）尚无信息安全风险评估",
        )
    )
    assert today.until is None
    done = at(TODAY, dt.date(2026, 5, 6))
    assert done.status == "pass" and "尚未结束" in done.message_zh and "2026-05-06" in done.message_zh
    ahead = dt.date(2026, 12, 1)  # recorded ahead of its date: counts from that day
    assert at(TODAY, ahead).status == "fail" and at(TODAY, ahead).until == ahead - dt.timedelta(days=1)


def test_c71_latest_counts() -> None:
    def facts(*results: str) -> ProjectFacts:
        acc = tuple(ArchiveAcceptanceFact(dt.date(2026, 1, i + 1), r, "档案局") for i, r in enumerate(results))
        return ProjectFacts(stage="acceptance", lead_department_kind="central", archive_acceptances=acc)

    assert judge("C7.1", facts()).status == "fail"
    assert judge("C7.1", facts("failed", "passed")).status == "pass"
    assert judge("C7.1", facts("passed", "failed")).status == "fail"


def test_c72_scope_matching() -> None:
    scope = scope_from_table(engine.load_pack("r2007").data["filing_scope"])
    events = (
        StageEventFact("submit_needs_analysis", "draft", "needs_analysis", dt.date(2026, 1, 1)),
        StageEventFact("submit_proposal", "needs_analysis", "proposal", dt.date(2026, 2, 1)),
        StageEventFact("return", "proposal", "needs_analysis", dt.date(2026, 2, 5)),
    )
    docs = (DocumentFact("draft", "needs_analysis_report", dt.date(2026, 1, 1)),)
    facts = ProjectFacts(
        stage="needs_analysis", lead_department_kind="central", events=events, documents=docs, filing_scope=scope
    )
    result = judge("C7.2", facts)
    assert result.status == "pass", result.message_en  # proposal was returned, not passed
