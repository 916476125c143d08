"""Small display helpers: labels of codes, clause numbers, status colours, digests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from egovpm.core.roles import Role
from egovpm.web import links, registry
from egovpm.web.numbers import percent_exact, percent_rounded

register = template.Library()

CLAUSES = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一")


def choice_label(choices: Any, value: str) -> str:
    """The (translated) label of a TextChoices value (or of the vocabulary an app registered under
    that name, web/registry.py); an unknown value is shown as it is."""
    if isinstance(choices, str):
        choices = registry.LABELS.get(choices)
        if choices is None:
            return value
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def pk_url(pk: Any, url_name: str) -> str:
    """`{{ project.pk|pk_url:"web:project_detail" }}`: `{% url "web:project_detail" project.pk %}` at a
    fraction of the cost, for the links of long lists (web/links.py)."""
    return links.pk_url(url_name, pk)


@register.filter
def stage_label(value: str) -> str:
    return choice_label("stage", value)


@register.filter
def action_label(value: str) -> str:
    return choice_label("action", value)


@register.filter
def role_label(value: str) -> str:
    return choice_label(Role, value)


@register.filter
def category_label(value: str) -> str:
    return choice_label("category", value)


@register.filter
def retention_label(value: str) -> str:
    return choice_label("retention", value)


@register.filter
def task_label(value: str) -> str:
    return choice_label("task", value)


@register.filter
def clause_label(clause: str) -> str:
    """一 → 第一条 in Chinese, "Clause 1" in English."""
    if (get_language() or "").startswith("en") and clause in CLAUSES:
        return _("Clause %(number)s") % {"number": CLAUSES.index(clause) + 1}
    return f"第{clause}条"


def _status_severity(result: Any) -> tuple[Any, Any]:
    """A verdict's status and severity: a result object, a stored verdict (a dict, as the archived
    completion report keeps them) or a bare status."""
    if isinstance(result, Mapping):
        return result.get("status"), result.get("severity", "")
    return getattr(result, "status", result), getattr(result, "severity", "")


@register.filter
def status_class(result: Any) -> str:
    """The one colour code: red fail/error, amber warning, green pass, grey not applicable."""
    status, severity = _status_severity(result)
    if status == "pass":
        return "ok"
    if status == "not_applicable":
        return "na"
    if status == "fail" and severity in ("warning", "info"):
        return "warn"
    return "bad"


@register.filter
def status_label(result: Any) -> str:
    status, severity = _status_severity(result)
    if status == "pass":
        return _("Passed")
    if status == "not_applicable":
        return _("Not applicable")
    if status == "error":
        return _("Check error")
    if severity in ("warning", "info"):
        return _("Warning")
    return _("Failed")


@register.filter
def severity_label(value: str) -> str:
    return {
        "gate": _("Gate"),
        "violation": _("Violation"),
        "warning": _("Warning"),
        "info": _("Information"),
    }.get(value, value)


@register.filter
def rule_message(result: Any) -> str:
    """The message in the current language (results and violation dicts alike)."""
    en = (get_language() or "").startswith("en")
    if isinstance(result, dict):
        return str(result.get("message_en" if en else "message_zh") or result.get("message", ""))
    return str(result.message_en if en else result.message_zh)


@register.filter
def short_hash(value: str) -> str:
    return f"{value[:12]}…" if value and len(value) > 12 else value


def _percent_html(ratio: Any, passes: Any) -> str:
    short = percent_rounded(ratio, passes)
    if short == "—":
        return short
    return format_html('<span class="pct" title="{}">{}</span>', percent_exact(ratio), short)


@register.filter
def pct(ratio: Any) -> str:
    """A ratio under a ceiling (lower passes) as a percentage rounded UP, exact on hover."""
    return _percent_html(ratio, "lower")


@register.filter
def pct_share(ratio: Any) -> str:
    """A share that must reach a floor (higher passes) as a percentage rounded DOWN, exact on hover."""
    return _percent_html(ratio, "higher")
