"""Clause 3 checks (domain.md §5, §12): C3.0 the estimate adds up; C3.1–C3.4 every self-approval
that took effect met the conditions of its route; C3.5 every self-approval is filed with NDRC;
C3.6 no spending ahead of approval. Pure functions over rules/facts_budgets.py."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from egovpm.core.percent import percent_rounded
from egovpm.rules.engine import Verdict, check, failed, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_budgets import (
    AdjustmentFact,
    AdjustmentsFact,
    EstimateFact,
    SpendingFact,
    exact_ratio,
    within_limit,
)

R = "r2007"
EARLY_STAGES = ("draft", "needs_analysis", "proposal", "feasibility_study")


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _numbers(adjustments: list[AdjustmentFact]) -> tuple[str, str]:
    zh = "、".join(f"第{a.number}号（{a.decided_on.isoformat()}）" for a in adjustments)
    en = ", ".join(f"no. {a.number} ({a.decided_on.isoformat()})" for a in adjustments)
    return zh, en


@check(R, "C3.0")
def estimate_adds_up(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3: built to the approved estimate — its sub-projects sum exactly to its total
    estimate = facts.estimate
    if estimate is None:
        return not_applicable("missing_records")
    assert isinstance(estimate, EstimateFact)
    if not estimate.exists:
        if ctx.action is None and facts.stage in EARLY_STAGES:
            return not_applicable("not_due")
        return failed(problem="尚未录入投资概算（总投资及单项工程）", problem_en="no estimate has been entered")
    if estimate.line_count == 0:
        return failed(problem="投资概算没有单项工程", problem_en="the estimate has no sub-projects")
    if estimate.lines_sum != estimate.total:
        diff = estimate.lines_sum - estimate.total
        return failed(
            problem=f"各单项工程合计 {_yuan(estimate.lines_sum)} 元，与概算总投资 {_yuan(estimate.total)} 元"
            f"不等（差额 {_yuan(diff)} 元）",
            problem_en=f"the lines sum to {_yuan(estimate.lines_sum)} yuan, the total is {_yuan(estimate.total)} "
            f"yuan (difference {_yuan(diff)})",
        )
    return passed(sum=_yuan(estimate.lines_sum))


def _self_approvals(facts: ProjectFacts) -> list[AdjustmentFact] | Verdict:
    adjustments = facts.adjustments
    if adjustments is None:
        return not_applicable("missing_records")
    assert isinstance(adjustments, AdjustmentsFact)
    if adjustments.baseline_total is None:
        return not_applicable("no_baseline")
    return [a for a in adjustments.effective if a.route == "self_approval"]


def _route_condition(facts: ProjectFacts, broken: Any) -> Verdict:
    selfs = _self_approvals(facts)
    if isinstance(selfs, Verdict):
        return selfs
    bad = [a for a in selfs if broken(a)]
    if bad:
        zh, en = _numbers(bad)
        return failed(items=zh, items_en=en)
    return passed(count=len(selfs))


@check(R, "C3.1")
def self_approvals_within_total(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3 (1): 总投资不超出批复概算
    return _route_condition(facts, lambda a: a.new_total > a.baseline_total)


@check(R, "C3.2")
def self_approvals_keep_goals(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3 (2): 建设目标不变
    return _route_condition(facts, lambda a: not a.goals_unchanged)


@check(R, "C3.3")
def self_approvals_within_limit(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3 (3): 单项工程间调整数额不超过概算总投资15% — inclusive; cumulative since the baseline
    limit = Decimal(str(params.get("limit_percent", 15)))
    cumulative = bool(params.get("cumulative", True))
    selfs = _self_approvals(facts)
    if isinstance(selfs, Verdict):
        return selfs
    adjustments = facts.adjustments
    assert isinstance(adjustments, AdjustmentsFact) and adjustments.baseline_total is not None

    def counted(a: AdjustmentFact) -> Decimal:
        return a.prior_moved + a.moved if cumulative else a.moved

    bad = [a for a in selfs if not within_limit(counted(a), a.baseline_total, limit)]
    current = exact_ratio(adjustments.cumulative_moved, adjustments.baseline_total)
    if bad:
        zh, en = _numbers(bad)
        worst = max(bad, key=lambda a: counted(a) / a.baseline_total)
        return failed(
            items=zh, items_en=en, ratio=percent_rounded(exact_ratio(counted(worst), worst.baseline_total)), limit=limit
        )
    return passed(ratio=percent_rounded(current), limit=limit, count=len(selfs))


@check(R, "C3.4")
def self_approvals_have_allowed_reason(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3 (4): 技术方案优化 / 国家新政策或中央新任务 / 业务需要在批复计划内调整进度
    allowed = set(params.get("allowed_reasons") or ())
    return _route_condition(facts, lambda a: a.reason not in allowed)


@check(R, "C3.5")
def self_approvals_filed(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3: 自行审批…报国家发展改革委备案
    selfs = _self_approvals(facts)
    if isinstance(selfs, Verdict):
        return selfs
    unfiled = [a for a in selfs if a.filed_on is None]
    if unfiled:
        zh, en = _numbers(unfiled)
        return failed(items=zh, items_en=en)
    return passed(count=len(selfs))


@check(R, "C3.6")
def no_spending_ahead_of_approval(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 3: 严格按照批复的投资概算实施 — spending beyond a line's effective amount runs ahead of approval
    spending = facts.spending
    if spending is None:
        return not_applicable("missing_records")
    assert isinstance(spending, SpendingFact)
    if not spending.approved:
        return not_applicable("no_baseline")
    over = [li for li in spending.lines if li.spent > li.effective_amount]
    if over:
        return failed(
            items="；".join(
                f"{li.code} {li.name}：支出 {_yuan(li.spent)} 元，有效金额 {_yuan(li.effective_amount)} 元"
                for li in over
            ),
            items_en="; ".join(
                f"{li.code} {li.name}: spent {_yuan(li.spent)} yuan, effective amount {_yuan(li.effective_amount)}"
                for li in over
            ),
        )
    return passed()
