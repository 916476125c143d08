"""Display helpers of the budgets pages: 万元 with exact yuan on hover, exact ratios as percent,
labels of routes, states and reasons, and the words of clause 3 behind each failing condition."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egovpm.budgets.choices import AdjustmentStatus, BaselineSource, Reason, Route
from egovpm.core.money import wan_yuan
from egovpm.web.numbers import percent_exact
from egovpm.web.templatetags.egovpm_ui import choice_label, pct

register = template.Library()

# The words of clause 3 (发改高技[2008]2544号) behind each self-approval condition.
CLAUSE_QUOTES = {
    "exceeds_total": ("C3.1", gettext_lazy("Total exceeds the approved estimate"), "投资规模未超出概算批复"),
    "goals_changed": ("C3.2", gettext_lazy("Construction goals change"), "原有建设目标不变"),
    "over_15_percent": (
        "C3.3",
        gettext_lazy("More than 15 per cent of the total moved (cumulative)"),
        "总概算规模内单项工程之间概算调整的数额不超过概算总投资15%",
    ),
    "reason_not_allowed": (
        "C3.4",
        gettext_lazy("Reason is not one of the three the notice allows"),
        "（1）确属于对原项目技术方案进行完善优化的；（2）根据国家出台的新政策或中央领导部署的新任务要求，"
        "改变或增加相应建设内容的；（3）根据所建电子政务项目业务发展的需要，在国家已批复项目建设规划的框架下"
        "适当调整相关建设进度的",
    ),
}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def yuan(value: Any) -> str:
    d = _decimal(value)
    return "—" if d is None else f"{d:,.2f}"


@register.filter
def wan(value: Any) -> str:
    """万元, two decimals, with the exact yuan on hover (ui.md)."""
    d = _decimal(value)
    if d is None:
        return "—"
    return format_html('<span class="amount" title="{} {}">{}</span>', f"{d:,.2f}", _("yuan"), wan_yuan(d))


@register.filter
def percent(ratio: Any) -> str:
    """An exact ratio string as a percentage, exact too ("0.15000001" → "15.000001%")."""
    return percent_exact(ratio)


@register.filter
def percent_short(ratio: Any) -> str:
    """Two decimals, rounded UP so that a ratio above a limit never reads as within it
    ("0.15000001" → "15.01%"); the exact value is on hover (web/numbers.py)."""
    return pct(ratio)


@register.filter
def rate(value: Any) -> str:
    """An execution rate (spent / current amount): two decimals rounded UP, since spending passes
    only at or under the approved amount (C3.6) — 100.001 % never reads 100.00 %; exact on hover."""
    return pct(value)


@register.filter
def route_label(value: str) -> str:
    return choice_label(Route, value)


@register.filter
def adjustment_status_label(value: str) -> str:
    return choice_label(AdjustmentStatus, value)


@register.filter
def reason_label(value: str) -> str:
    return choice_label(Reason, value)


@register.filter
def baseline_source_label(value: str) -> str:
    return choice_label(BaselineSource, value)


@register.filter
def failure_rule(code: str) -> str:
    return CLAUSE_QUOTES.get(code, ("", "", ""))[0]


@register.filter
def failure_label(code: str) -> str:
    entry = CLAUSE_QUOTES.get(code)
    return str(entry[1]) if entry else code


@register.filter
def failure_quote(code: str) -> str:
    entry = CLAUSE_QUOTES.get(code)
    return entry[2] if entry else ""


@register.filter
def status_badge(value: str) -> str:
    return {
        "pending": "warn",
        "approved": "ok",
        "rejected": "bad",
        "withdrawn": "na",
        "stale": "na",
    }.get(value, "na")
