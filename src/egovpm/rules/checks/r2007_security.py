"""Checks of clauses 六 (C6.1–C6.3) and 九 (C9.1–C9.3) over the security app's facts
(rules/facts_security.py). Pure functions: they judge plain facts, never the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from egovpm.rules.engine import Verdict, check, earliest, failed, holding_until, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_security import RiskAssessmentFact, SystemFact

R = "r2007"
ONE_DAY = dt.timedelta(days=1)

_NETWORK_ZH = {
    "gov_intranet": "政务内网",
    "gov_extranet": "政务外网",
    "dedicated_existing": "已有部门专网",
    "dedicated_new": "新建部门专网",
    "internet": "互联网",
}
_NETWORK_EN = {
    "gov_intranet": "the e-government intranet",
    "gov_extranet": "the e-government extranet",
    "dedicated_existing": "an existing dedicated network",
    "dedicated_new": "a new dedicated network",
    "internet": "the internet",
}
# Stages in which the approved preliminary design (and so its security design) is judged.
_DESIGN_STAGES = frozenset({"preliminary_design", "construction", "trial_operation", "acceptance", "in_operation"})
_ACCEPTANCE_REACHED = frozenset({"acceptance", "in_operation"})


def _systems(facts: ProjectFacts) -> tuple[SystemFact, ...] | None:
    return cast(tuple[SystemFact, ...] | None, facts.systems)  # set by the security app's fact provider


def _join(parts: list[str], sep: str) -> str:
    return sep.join(parts)


@check(R, "C6.1")
def protection_designed_in(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 6: 等级保护/分级保护要求纳入需求分析报告和建设方案 — the needs-analysis part is judged at
    # submit_proposal; at approve_preliminary_design also the design, and at least one system.
    systems = _systems(facts)
    if systems is None:
        return not_applicable("missing_records")
    # asked as a gate: the action says which part; in the compliance report: the stage does
    design = ctx.action == "approve_preliminary_design" if ctx.action is not None else facts.stage in _DESIGN_STAGES
    if not systems:
        return (
            failed(
                problems="尚未登记任何信息系统（初步设计批复前须至少登记一个并确定保护等级）",
                problems_en="no information system is recorded (at least one, with its protection level, is needed)",
            )
            if design
            else not_applicable("no_systems_yet")
        )
    zh: list[str] = []
    en: list[str] = []
    for s in systems:
        gaps_zh, gaps_en = [], []
        if not s.graded:
            gaps_zh.append("未确定等级保护级别或分级保护密级")
            gaps_en.append("no protection level or classified tier")
        if not s.protection_in_needs_analysis:
            gaps_zh.append("需求分析报告未包含安全保护要求")
            gaps_en.append("the needs analysis does not state its protection requirements")
        if design and not s.protection_in_design:
            gaps_zh.append("初步设计未包含安全保护方案")
            gaps_en.append("the design does not state its protection requirements")
        if gaps_zh:
            zh.append(f"“{s.name}”：{'、'.join(gaps_zh)}")
            en.append(f"“{s.name}”: {', '.join(gaps_en)}")
    if zh:
        return failed(problems="；".join(zh), problems_en="; ".join(en))
    return passed("pass" if design else "pass_needs", count=len(systems))


def _trial_window(facts: ProjectFacts, ctx: Context) -> tuple[dt.date, dt.date] | None:
    """From the effective date of start_trial_operation to that of the preliminary acceptance
    (the gate's own effective date when it is asked before that action; else as_of)."""
    starts = [e for e in facts.events if e.action == "start_trial_operation"]
    if not starts:
        return None
    start = starts[-1].effective_date
    if ctx.action == "pass_preliminary_acceptance" and ctx.effective_date is not None:
        return start, ctx.effective_date
    ends = [
        e.effective_date
        for e in facts.events
        if e.action == "pass_preliminary_acceptance" and e.effective_date >= start
    ]
    return start, (ends[-1] if ends else ctx.as_of)


@check(R, "C6.2")
def risk_assessed_in_trial(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 6: 试运行期间组织开展信息安全风险评估 (发改高技[2008]2071号)
    if facts.risk_assessments is None:
        return not_applicable("missing_records")
    assessments = cast(tuple[RiskAssessmentFact, ...], facts.risk_assessments)  # set by the app\'s fact provider
    window = _trial_window(facts, ctx)
    if window is None:
        return not_applicable("not_yet")
    start, end = window
    inside = sorted(a.assessed_on for a in assessments if start <= a.assessed_on <= end)
    # While the trial runs (no acceptance yet, not asked as the gate) the window ends "today": the
    # message says "ongoing" rather than naming a date, so the verdict does not change with the
    # date alone — an assessment dated later starts to count on its own date (`_later`).
    open_window = ctx.action is None and not any(
        e.action == "pass_preliminary_acceptance" and e.effective_date >= start for e in facts.events
    )
    suffix, bounds = (
        ("_open", {"start": start.isoformat()})
        if open_window
        else ("", {"start": start.isoformat(), "end": end.isoformat()})
    )
    if not inside:
        verdict = failed(f"fail{suffix}", **bounds)
    else:
        verdict = passed(f"pass{suffix}", date=inside[-1].isoformat(), **bounds)
    return holding_until(verdict, _later(ctx, (a.assessed_on for a in assessments)))


def _later(ctx: Context, dates: Any) -> dt.date | None:
    """The day before the earliest of `dates` after as_of (a record that starts to count then)."""
    return earliest(d - ONE_DAY for d in dates if d is not None and d > ctx.as_of)


@check(R, "C6.3")
def filings_and_evaluations(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 6 with the graded-protection rules: level ≥ 2 → 公安机关备案; level ≥ 3 → 等级测评;
    # both due by completion acceptance.
    systems = _systems(facts)
    if systems is None:
        return not_applicable("missing_records")
    if not systems:
        return not_applicable("no_systems")
    zh: list[str] = []
    en: list[str] = []
    for s in systems:
        level = s.protection_level or 0
        if level >= 2 and not (s.filing_number.strip() and s.filing_date and s.filing_date <= ctx.as_of):
            zh.append(f"“{s.name}”（第{level}级）缺少公安机关备案")
            en.append(f"“{s.name}” (level {level}) lacks its public-security filing")
        if level >= 3 and not (s.evaluation_date and s.evaluation_result and s.evaluation_date <= ctx.as_of):
            zh.append(f"“{s.name}”（第{level}级）缺少等级测评")
            en.append(f"“{s.name}” (level {level}) lacks its graded-protection evaluation")
    due = facts.stage in _ACCEPTANCE_REACHED or ctx.action == "pass_completion_acceptance"
    # a filing or evaluation dated after as_of counts from its date on
    until = _later(ctx, (d for s in systems for d in (s.filing_date, s.evaluation_date)))
    if zh:
        if due:
            return holding_until(failed(problems="；".join(zh), problems_en="; ".join(en)), until)
        return holding_until(not_applicable("not_due", problems="；".join(zh), problems_en="; ".join(en)), until)
    return holding_until(passed() if due else not_applicable("not_due_complete"), until)


@check(R, "C9.1")
def no_new_dedicated_network(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 9: 原则上不再批准新建部门专用业务网络 — "in principle": NDRC may record an exception
    systems = _systems(facts)
    if systems is None:
        return not_applicable("missing_records")
    if not systems:
        return not_applicable("no_systems")
    new_dedicated = [s for s in systems if s.network == "dedicated_new"]
    blocked = [s for s in new_dedicated if not s.excepted]
    if blocked:
        return failed(
            items="、".join(f"“{s.name}”" for s in blocked), items_en=", ".join(f"“{s.name}”" for s in blocked)
        )
    if new_dedicated:
        return passed(
            "pass_excepted",
            items="、".join(f"“{s.name}”（{s.exception_reason}）" for s in new_dedicated),
            items_en=", ".join(f"“{s.name}” ({s.exception_reason})" for s in new_dedicated),
        )
    return passed()


@check(R, "C9.2")
def systems_on_right_network(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 9: 内部办公、管理、协调、监督和决策 → 政务内网；社会管理和公共服务 → 政务外网 (new ones
    # built there; existing ones migrate, which C9.3 tracks). A system NDRC excepted stays where NDRC
    # allowed it.
    systems = _systems(facts)
    if systems is None:
        return not_applicable("missing_records")
    if not systems:
        return not_applicable("no_systems")
    zh: list[str] = []
    en: list[str] = []
    for s in systems:
        if s.excepted:
            continue
        if s.purpose == "internal_office" and s.network != "gov_intranet":
            zh.append(f"内部办公类系统“{s.name}”部署在{_NETWORK_ZH.get(s.network, s.network)}，应在政务内网")
            en.append(
                f"internal-office system “{s.name}” is on {_NETWORK_EN.get(s.network, s.network)}, not the intranet"
            )
        elif s.purpose == "public_service" and s.is_new and s.network != "gov_extranet":
            zh.append(f"新建公共服务类系统“{s.name}”部署在{_NETWORK_ZH.get(s.network, s.network)}，应在政务外网")
            en.append(
                f"new public-service system “{s.name}” is on {_NETWORK_EN.get(s.network, s.network)}, not the extranet"
            )
    if zh:
        return failed(items="；".join(zh), items_en="; ".join(en))
    return passed(count=len(systems))


@check(R, "C9.3")
def migration_on_plan(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 9: 已建的社会管理和公共服务类系统要尽快迁移到政务外网 — a plan with a target date,
    # and past that date (as of the day judged) a violation.
    systems = _systems(facts)
    if systems is None:
        return not_applicable("missing_records")
    if not systems:
        return not_applicable("no_systems")
    to_migrate = [s for s in systems if s.purpose == "public_service" and not s.is_new and s.network != "gov_extranet"]
    if not to_migrate:
        return not_applicable("nothing_to_migrate")
    zh: list[str] = []
    en: list[str] = []
    for s in to_migrate:
        if s.migration_target_date is None:
            zh.append(f"已建公共服务类系统“{s.name}”没有迁移至政务外网的计划")
            en.append(f"existing public-service system “{s.name}” has no plan to migrate to the extranet")
        elif s.migration_target_date < ctx.as_of:
            zh.append(f"“{s.name}”计划于 {s.migration_target_date.isoformat()} 前迁移至政务外网，已逾期")
            en.append(f"“{s.name}” was to migrate to the extranet by {s.migration_target_date.isoformat()}; overdue")
    # a plan fails the day after its target date: the verdict holds until the earliest target to come
    until = earliest(
        s.migration_target_date for s in to_migrate if s.migration_target_date and s.migration_target_date >= ctx.as_of
    )
    if zh:
        return holding_until(failed(problems="；".join(zh), problems_en="; ".join(en)), until)
    return holding_until(
        passed(
            items="、".join(f"“{s.name}”（{s.migration_target_date}）" for s in to_migrate),
            items_en=", ".join(f"“{s.name}” ({s.migration_target_date})" for s in to_migrate),
        ),
        until,
    )
