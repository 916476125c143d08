"""Checks of clauses 五 (C5.1, C5.2) and 十一 (C11.1) over the procurement app's facts
(rules/facts_procurement.py). They replace the placeholders of rules/checks/r2007.py."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from egovpm.core.percent import percent_rounded
from egovpm.rules.checks.r2007 import delivery_modes as flags_only
from egovpm.rules.engine import Verdict, check, failed, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_procurement import ProcurementFacts

R = "r2007"


def _name(params: Mapping[str, Any], table: str, code: str, language: str) -> str:
    names = params.get(table, {}).get(code)
    return str(names.get(language, code)) if isinstance(names, Mapping) else code


def _share_text(params: Mapping[str, Any], figures: Mapping[str, Any], label: str, language: str) -> str:
    # shares pass when high enough: rounded down (percent_rounded gives "—" when nothing divides)
    amount = percent_rounded(figures["amount_share"], "higher")
    count = percent_rounded(figures["count_share"], "higher")
    if language == "zh":
        return (
            f"{label} 金额 {figures['amount_secure']}/{figures['amount_total']} 元（{amount}），"
            f"数量 {figures['count_secure']}/{figures['count_total']} 项（{count}）"
        )
    return (
        f"{label}: amount {figures['amount_secure']}/{figures['amount_total']} yuan ({amount}), "
        f"count {figures['count_secure']}/{figures['count_total']} ({count})"
    )


@check(R, "C5.1")
def secure_controllable_shares(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 5: 优先采购自主可控的信息安全设备、核心网络设备、基础软件、系统软件和业务应用软件 (info)
    if facts.procurement is None:
        return not_applicable("missing_records")
    procurement = cast(ProcurementFacts, facts.procurement)  # set by the app's fact provider
    key = list(params.get("key_categories", ()))
    recorded = [c for c in key if procurement.shares["categories"][c]["count_total"]]
    if not recorded:
        return not_applicable("none")
    texts: dict[str, list[str]] = {"zh": [], "en": []}
    for language in texts:
        for c in recorded:
            label = _name(params, "category_names", c, language)
            texts[language].append(_share_text(params, procurement.shares["categories"][c], label, language))
        total_label = "五类合计" if language == "zh" else "the five together"
        texts[language].append(_share_text(params, procurement.shares["key_total"], total_label, language))
    return passed(shares="；".join(texts["zh"]), shares_en="; ".join(texts["en"]))


@check(R, "C5.2")
def tendered_above_threshold(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 5: 依照《招标投标法》《政府采购法》 — at or above the category's threshold ("以上"
    # includes the figure) the procurement was tendered or records why not
    if facts.procurement is None:
        return not_applicable("missing_records")
    procurement = cast(ProcurementFacts, facts.procurement)
    if not procurement.items:
        return not_applicable("none")
    thresholds = {k: Decimal(str(v)) for k, v in params["tender_thresholds"].items()}
    tender = set(params["tender_methods"])
    due = [i for i in procurement.items if i.amount >= thresholds[i.category]]
    if not due:
        return not_applicable("none_due")
    bad = [i for i in due if i.method not in tender and not i.non_tender_reason.strip()]
    if bad:
        return failed(
            items="；".join(
                f"{i.subject}（{i.amount:.2f} 元，{_name(params, 'method_names', i.method, 'zh')}）" for i in bad
            ),
            items_en="; ".join(
                f"{i.subject} ({i.amount:.2f} yuan, {_name(params, 'method_names', i.method, 'en')})" for i in bad
            ),
        )
    return passed(count=len(due))


@check(R, "C11.1")
def delivery_modes_recorded(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 11: encourage service outsourcing and data hosting (informational) — the recorded
    # modes with their providers
    if facts.procurement is None:  # facts built without the procurement app: the project's flags
        return flags_only(facts, params, ctx)
    modes = cast(ProcurementFacts, facts.procurement).modes
    if not modes:
        return passed(modes="未采用", modes_en="none")
    zh = "、".join(f"{_name(params, 'mode_names', m.mode, 'zh')}（{m.provider}）" for m in modes)
    en = ", ".join(f"{_name(params, 'mode_names', m.mode, 'en')} ({m.provider})" for m in modes)
    return passed(modes=zh, modes_en=en)
