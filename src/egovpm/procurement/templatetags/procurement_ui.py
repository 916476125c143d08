"""Template filters of the procurement app: the words of its codes and the rows of a shares dict."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from egovpm.core.percent import percent_rounded
from egovpm.procurement.choices import Category, DeliveryModeKind, Method
from egovpm.procurement.shares import CATEGORIES

register = template.Library()


@register.filter
def procurement_category(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


@register.filter
def procurement_method(value: str) -> str:
    return str(Method(value).label) if value in Method.values else value


@register.filter
def delivery_mode(value: str) -> str:
    return str(DeliveryModeKind(value).label) if value in DeliveryModeKind.values else value


@register.filter
def share_rows(shares: Any) -> list[dict[str, Any]]:
    """The rows of a shares dict (api.md's shape): every category, then the five key ones together."""
    if not shares:
        return []
    rows = [
        {"code": c, "label": procurement_category(c), "key": c != Category.OTHER, "f": shares["categories"][c]}
        for c in CATEGORIES
    ]
    rows.append({"code": "key_total", "label": _("The five key categories"), "key": True, "f": shares["key_total"]})
    return rows


@register.filter
def share_chart(shares: Any) -> dict[str, Any]:
    """What the chart draws (procurement/shares.js): per category and the five together, the shares
    as the exact strings of the answer (null where nothing divides), and what its tooltip reads:
    percentages rounded down (a share passes when high enough), as the table beside it."""
    rows = share_rows(shares)
    return {
        "labels": [r["label"] for r in rows],
        "amount": [r["f"]["amount_share"] for r in rows],
        "count": [r["f"]["count_share"] for r in rows],
        "amount_pct": [percent_rounded(r["f"]["amount_share"], "higher") for r in rows],
        "count_pct": [percent_rounded(r["f"]["count_share"], "higher") for r in rows],
        "series": [_("by amount"), _("by count")],
    }
