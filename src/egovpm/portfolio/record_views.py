"""The department record page (履约档案, ui.md): `/departments/<code>/record/` — the sections of
portfolio/record.py as tables, each figure a link into the project list that makes it up
(`?department=CODE&stage=…`, `&rule=C4.1` …); the department's own members reach theirs from the
navigation (`/departments/mine/record/`), NDRC and MoF from the cockpit and from every project page.
The compact panel beside an NDRC approval decision on the project page is built here too."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.budgets.choices import AdjustmentStatus, Route
from egovpm.core import clock, validators
from egovpm.core.errors import DomainError
from egovpm.portfolio import record
from egovpm.portfolio.views import STATE_ORDER
from egovpm.projects.choices import TRANSITIONS, Actor, Stage
from egovpm.projects.models import Project
from egovpm.web.frame import domain_errors
from egovpm.web.inbox import kept_html
from egovpm.web.templatetags.egovpm_ui import clause_label

# procurement's shares block (table + ECharts chart; context `shares`): shown wherever shares are
SHARES_BLOCK = "procurement/shares_block.html"


def list_link(code: str, **extra: str) -> str:
    """The project list of the department's projects with one figure's own filter."""
    return reverse("web:project_list") + "?" + urlencode({"department": code, **extra})


def record_url(code: str) -> str:
    return reverse("web:department_record", kwargs={"code": code})


def _tables(data: dict[str, Any]) -> dict[str, Any]:
    code = data["department"]["code"]
    return {
        "stage_rows": [(Stage(s).label, n, list_link(code, stage=s)) for s, n in data["projects"]["by_stage"].items()],
        "rule_rows": [
            (clause_label(c), r, n, list_link(code, rule=r))
            for c, v in data["rules_failing"]["by_clause"].items()
            for r, n in v["rules"].items()
        ],
        "report_rows": [
            (_("Due, not yet submitted"), data["reports"]["due"], ""),
            (_("Overdue"), data["reports"]["overdue"], list_link(code, rule="C4.1")),
            (_("Submitted late"), data["reports"]["late"], list_link(code, rule="C4.2")),
        ],
        "adjustment_states": [AdjustmentStatus(s).label for s in STATE_ORDER],
        "adjustment_rows": [
            (Route(route).label, [states[s] for s in STATE_ORDER]) for route, states in data["adjustments"].items()
        ],
        "rectifications_url": list_link(code, rule="C8.1"),
        "list_url": list_link(code),
    }


def conclusion_labels(evaluations: dict[str, Any] | None) -> dict[str, str]:
    if evaluations is None:
        return {}
    from egovpm.evaluations.choices import Conclusion

    return {c.value: str(c.label) for c in Conclusion}


@login_required
@domain_errors
def department_record(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    department = record.department_for(request.user, code)
    raw = request.GET.get("as_of", "")
    base: dict[str, Any] = {"department": department, "as_of_raw": raw, "today": clock.today()}

    def context() -> dict[str, Any]:
        data = record.record_of(department, validators.parse_as_of(raw))
        return {
            **base,
            "data": data,
            "shares_block": SHARES_BLOCK,
            "conclusions": conclusion_labels(data["post_evaluations"]),
            "recorded": {name: record.recorded(name) for name in record.MODULES},
            **_tables(data),
        }

    # The same for every reader allowed to read it (department_for): rendered once and kept under
    # the records' stamp for this department and date (ADR 0020).
    try:
        body = kept_html(repr(("record", department.code, base["today"], raw)), "portfolio/record_body.html", context)
    except DomainError as error:
        if error.status != 400:
            raise
        body = render_to_string("portfolio/record_body.html", {**base, "error": error.message})
        return render(request, "portfolio/record.html", {"department": department, "body": body}, status=400)
    return render(request, "portfolio/record.html", {"department": department, "body": body})


@login_required
def own_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The navigation's 本部门履约档案: the record of the user's own department."""
    department = record.own_department(request.user)
    if department is None:
        raise Http404("no department of one's own")
    return redirect("web:department_record", code=department.code)


def nav_visible(user: User) -> bool:
    """本部门履约档案 in the navigation: a department's staff and leaders."""
    return bool(getattr(user, "is_authenticated", False)) and record.own_department(user) is not None


# --- the project page: the lead department's record beside NDRC's decisions ----------------------

NDRC_DECISIONS = frozenset(a for a, t in TRANSITIONS.items() if t.actor in (Actor.NDRC, Actor.NDRC_OR_ENTRUSTED))


def project_panel(request: AuthenticatedHttpRequest, project: Project, options: list[dict[str, Any]]) -> dict[str, Any]:
    """The project page's part: a link from the lead department's name to its record for whoever
    may read it and, when an NDRC decision on the project is the user's to take now, the compact
    record (projects by stage, failing rules, overdue reports, key-category shares)."""
    user = request.user
    department: Department = project.lead_department
    if not record.may_read(user, department):
        return {}
    out: dict[str, Any] = {"department_record_url": record_url(department.code)}
    offered = {o["action"] for o in options}
    if offered & NDRC_DECISIONS and user.has_role(Role.NDRC_OFFICER):
        data = record.record_of(department, only=record.PANEL_SECTIONS)
        # completion acceptance weighs this project's own procurement too (clause 5)
        shares = record.project_shares(project) if "pass_completion_acceptance" in offered else None
        out["record_panel"] = {
            "project_shares": shares,
            "shares_block": SHARES_BLOCK,
            "template": "portfolio/record_panel.html",
            "data": data,
            "url": record_url(department.code),
            "overdue_url": list_link(department.code, rule="C4.1"),
            "stage_rows": [(Stage(s).label, n) for s, n in data["projects"]["by_stage"].items()],
        }
    return out
