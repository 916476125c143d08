"""The cockpit page (驾驶舱, ui.md): the summary's figures as headline numbers, ECharts charts (each
with a table of the same figures) and the drill-down links into the project list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from egovpm.accounts.models import Department, User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.budgets.choices import AdjustmentStatus, Route
from egovpm.compliance.stamp import records_stamp
from egovpm.core import clock, validators
from egovpm.core.errors import DomainError
from egovpm.portfolio import exports, figures, selectors
from egovpm.portfolio.api import xlsx_attachment
from egovpm.projects.choices import Stage
from egovpm.projects.filters import list_params
from egovpm.web.inbox import kept, reader
from egovpm.web.templatetags.egovpm_ui import clause_label

WAN = Decimal(10000)
STATE_ORDER = list(AdjustmentStatus.values)
CENT = Decimal("0.01")


def wan(amount: str) -> str:
    """Yuan (a decimal string) in 万元 with two decimals."""
    return f"{(Decimal(amount) / WAN).quantize(CENT):,.2f}"


class Links:
    """The project list's URL for the cockpit's filters plus one figure's own: exactly the projects
    behind the figure (docs/portfolio.md "Drill-down"), on a past date with its `as_of` (the list
    then selects the projects as they stood at the end of that day)."""

    def __init__(self, base: dict[str, str], as_of: str = "") -> None:
        self.base = {**base, **({"as_of": as_of} if as_of else {})}
        self.url = reverse("web:project_list")

    def __str__(self) -> str:
        return self()

    def __call__(self, **extra: str) -> str:
        query = {**self.base, **extra}
        return self.url + ("?" + urlencode(query) if query else "")


def _charts(data: dict[str, Any], link: Links) -> dict[str, Any]:
    stages = data["projects"]["by_stage"]
    names = data["departments"]
    money = data["investment"]["by_department"]
    return {
        "stages": [{"label": str(Stage(s).label), "value": n, "url": link(stage=s)} for s, n in stages.items()],
        "investment": {
            "series": [_("Approved baseline"), _("Current estimate"), _("Recorded spending")],
            "unit": _("10,000 yuan"),
            "rows": [
                {
                    "label": names.get(code, code),
                    "values": [float(wan(m[k]).replace(",", "")) for k in ("baseline", "current", "spent")],
                    "yuan": [m[k] for k in ("baseline", "current", "spent")],
                    "url": link(lead_department=code),
                }
                for code, m in money.items()
            ],
        },
        "clauses": [
            {
                "label": clause_label(c),
                "value": v["failures"],
                # a bar counts failures (a project failing two of its rules twice): no list has
                # exactly those rows — the table below links each rule to the projects failing it
                "url": "",
            }
            for c, v in data["rules_by_clause"].items()
        ],
        "health": [
            {"key": h, "label": label, "value": data["health"][h], "url": link(health=h)}
            for h, label in (("red", _("Red")), ("amber", _("Amber")), ("green", _("Green")))
        ],
    }


def _filters_form(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    q = request.GET
    return {
        "as_of": q.get("as_of", ""),
        "department": q.get("department", ""),
        "stage": q.get("stage", ""),
        "year": q.get("year", ""),
    }


@login_required
def cockpit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_view(user):
        raise PermissionDenied(_("The cockpit is for NDRC, MoF and the departments' staff and leaders."))
    form = _filters_form(request)
    whole = selectors.is_whole_portfolio_reader(user)
    # The filters and the figures, rendered once and kept under every record's stamp (ADR 0020):
    # shared by the readers of the whole portfolio, a department user's own otherwise; in the
    # reader's language, for these filters on this day.
    scope = selectors.scope_key(user)  # a department's reader as read for this request (web.inbox.reader)
    reading = (scope, whole) if scope == "all" else (reader(user), whole)
    key = repr(("cockpit", reading, get_language(), clock.today(), form))
    try:
        shown = kept(key, records_stamp(), lambda: _figures(user, form, whole))
    except DomainError as error:
        if error.status != 400:
            raise
        context = {**_form_context(form), "whole": whole, "error": error.message}
        return render(request, "portfolio/cockpit.html", context, status=400)
    shown = {**shown, "body": mark_safe(shown["body"])}  # noqa: S308 - rendered by our templates
    return render(request, "portfolio/cockpit.html", {"whole": whole, "shown": shown})


def _form_context(form: dict[str, str]) -> dict[str, Any]:
    return {
        "form": form,
        "today": clock.today(),
        "stages": [(s.value, s.label) for s in Stage],
        "department_choices": Department.objects.filter(kind__in=("central", "local")).order_by("kind", "code"),
    }


def _figures(user: User, form: dict[str, str], whole: bool) -> dict[str, str]:
    """The cockpit's figures for these filters: the day they stand on, the project list's link for
    all of them, and the HTML of the filters, the headline numbers, the charts and their tables."""
    data = selectors.summary(
        user=user,
        as_of=validators.parse_as_of(form["as_of"]),
        department=form["department"],
        stage=form["stage"],
        year=form["year"],
    )
    link = Links(data["filters"].query(), "" if data["today"] else data["as_of"].isoformat())
    record = reverse("web:department_record", kwargs={"code": "CODE"}).split("CODE")
    inv = data["investment"]
    behind = data["projects_behind"]
    context = {
        **_form_context(form),
        "whole": whole,
        "data": data,
        "headline": [
            {"label": _("Projects"), "value": data["projects"]["total"], "url": link()},
            {
                "label": _("Approved investment (10,000 yuan)"),
                "value": wan(inv["baseline"]),
                "title": f"{inv['baseline']} 元",
                "url": link(),
            },
            {
                "label": _("Red health"),
                "value": data["health"]["red"],
                "url": link(health="red"),
                "cls": "bad",
                "key": "red",
            },
            {
                "label": _("Projects with an overdue report"),
                "value": behind["reports"]["overdue"],
                "url": link(report="overdue"),
                "cls": "warn",
                "key": "report-overdue",
            },
            {
                "label": _("Projects with overdue rectifications"),
                "value": behind["rectifications"]["overdue"] if behind["rectifications"] else None,
                "url": link(rectification="overdue"),
                "key": "rectification-overdue",
            },
        ],
        "charts": _charts(data, link),
        "money_rows": [
            {
                "code": code,
                "name": data["departments"].get(code, code),
                "cells": [(wan(m[k]), m[k]) for k in ("baseline", "current", "spent")],
                "url": link(lead_department=code),
            }
            for code, m in inv["by_department"].items()
        ],
        # NDRC's and MoF's way into each department's record (履约档案)
        # (one reverse() for the records' links: a row costs no URL resolution of its own)
        "department_rows": [
            (
                code,
                data["departments"].get(code, code),
                n,
                link(lead_department=code),
                quote(code, safe=RFC3986_SUBDELIMS + "/~:@").join(record),
            )
            for code, n in data["projects"]["by_department"].items()
        ],
        "disagreements": disagreement_rows(data["disagreements"]),
        "rule_rows": [
            {"clause": clause_label(c), "rule": r, "value": n, "url": link(rule=r)}
            for c, v in data["rules_by_clause"].items()
            for r, n in v["rules"].items()
        ],
        "report_rows": [
            (label, data["reports"][k], behind["reports"][k], link(report=k))
            for k, label in (
                ("due", _("Due, not yet submitted")),
                ("overdue", _("Overdue")),
                ("late", _("Submitted late")),
            )
        ],
        "adjustment_rows": [
            (
                Route(route).label,
                [(states[s], behind["adjustments"][route][s], link(adjustment=f"{route}:{s}")) for s in STATE_ORDER],
            )
            for route, states in data["adjustments"].items()
        ],
        "adjustment_states": [AdjustmentStatus(s).label for s in STATE_ORDER],
        "totals": [(wan(inv[k]), inv[k]) for k in ("baseline", "current", "spent")],
        "procurement_recorded": figures.recorded("procurement_shares"),
        "conclusion_rows": conclusion_rows(data["post_evaluations"], behind["post_evaluations"], link),
        "rectification_rows": [
            (label, data["rectifications"][k], behind["rectifications"][k], link(rectification=k))
            for k, label in (("open", _("Rectification items open")), ("overdue", _("Overdue")))
        ]
        if behind["rectifications"]
        else [],
        "delivery_urls": {m: link(delivery_mode=m) for m in ("service_outsourcing", "data_hosting")},
    }
    return {
        "as_of": data["as_of"].isoformat(),
        "list_url": str(link),
        "body": render_to_string("portfolio/cockpit_figures.html", context),
    }


def conclusion_rows(
    counts: dict[str, int] | None, projects: dict[str, int] | None, link: Links
) -> list[tuple[str, int, int, str]]:
    """The cockpit's post-evaluation table: (conclusion label, evaluations, projects, the projects'
    list) in the choices' order; empty when evaluations are not recorded."""
    if counts is None or projects is None:
        return []
    from egovpm.evaluations.choices import Conclusion

    return [
        (str(c.label), counts.get(c.value, 0), projects.get(c.value, 0), link(post_evaluation=c.value))
        for c in Conclusion
    ]


def disagreement_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The "红灯但自评正常" panel: each row links to its project's page (one query for the rows'
    ids: the rows are the caller's scope already)."""
    from egovpm.projects.models import Project

    ids = dict(Project.objects.filter(code__in=[d["code"] for d in rows]).values_list("code", "pk")) if rows else {}
    return [
        {
            **d,
            "url": reverse("web:project_detail", args=[ids[d["code"]]]) if d["code"] in ids else "",
            "label": _("Red") if d["health"] == "red" else _("Amber"),
        }
        for d in rows
    ]


@login_required
def project_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list page's 导出 XLSX: the rows the page lists (all of them), with its filters and its
    sort (an unknown `sort` is the default order, as on the page)."""
    try:
        params = list_params(request.GET)
    except DomainError as error:
        raise BadRequest(error.message) from None
    rows = exports.export_rows(user=request.user, sort=request.GET.get("sort", ""), **params)
    return xlsx_attachment(exports.render_xlsx(rows))
