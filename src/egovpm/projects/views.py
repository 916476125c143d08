"""The project pages: the list, create and edit forms, the stage actions, and the project tabs
基本信息 (the project page itself), 合规检查 and 人员指派. Views are thin: reads go through
selectors, every write through a service (which checks scope and role and audits). Each tab renders
inside the project page frame (egovpm.web.frame.render_tab)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.models import Department
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock, lists
from egovpm.core.errors import DomainError
from egovpm.core.views import language_of
from egovpm.projects import policies, selectors, services
from egovpm.projects.choices import Stage
from egovpm.projects.filters import list_params
from egovpm.projects.forms import AssignmentForm, ProjectForm, TransitionForm
from egovpm.projects.models import Project
from egovpm.web import errors, registry
from egovpm.web.forms import AsOfForm
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import kept_html, reader
from egovpm.web.templatetags.egovpm_ui import CLAUSES, action_label, stage_label

PAGE_SIZE = 20


# ---------------------------------------------------------------- project list


# The list's compliance badges ({"bad": n, "warn": n} by project pk) for the rows the user reads in
# full. egovpm.compliance registers its stored verdicts here (ADR 0013: it depends on projects, so
# projects cannot import it); without it each row is evaluated in full.
BadgeSource = Callable[[list[Project]], dict[Any, dict[str, int]]]
_badge_sources: list[BadgeSource] = []


def register_badge_source(source: BadgeSource) -> None:
    if source not in _badge_sources:
        _badge_sources.append(source)


def _compliance_counts(project: Project, language: str) -> dict[str, int]:
    report = selectors.project_compliance(project=project, language=language)
    counts = {"bad": 0, "warn": 0}
    for r in report["results"]:
        if r.status == "error" or (r.status == "fail" and r.severity in ("gate", "violation")):
            counts["bad"] += 1
        elif r.status == "fail":
            counts["warn"] += 1
    return counts


def _compliance_badges(projects: list[Project], language: str) -> dict[Any, dict[str, int]]:
    if _badge_sources:
        return _badge_sources[-1](projects)
    return {p.pk: _compliance_counts(p, language) for p in projects}


# the cockpit's drill-down filters (projects/filters.py) that the list's form carries unseen
HIDDEN_FILTERS = (
    "health",
    "rule",
    "delivery_mode",
    "lead_department",
    "report",
    "adjustment",
    "post_evaluation",
    "as_of",
)


@login_required
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # htmx swaps the table alone when the filters change (a boosted link loads the whole page)
    partial = bool(request.htmx) and not request.htmx.boosted
    template = "projects/_table.html" if partial else "projects/list_body.html"
    # The list as this user reads it at this address, rendered once and kept under the records'
    # stamp (ADR 0020); a refused filter is a 400 and keeps nothing.
    key = repr(("projects", reader(request.user), bool(request.htmx), partial, request.get_full_path()))
    body = kept_html(key, template, lambda: _list_context(request), request=request)
    if partial:
        return HttpResponse(body)
    return render(request, "projects/list.html", {"body": body})


def _list_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    # The list's FilterSet, the same as the API's (filters.list_params): a value it refuses is a
    # 400, never ignored; the cockpit's drill-down filters (health, rule, year) included.
    try:
        filters = list_params(request.GET)
    except DomainError as error:
        raise BadRequest("; ".join(f"{k}: {v}" for k, v in (error.details or {}).items())) from None
    stage, department, q = filters["stage"], filters["department"], filters["q"]
    # the header's sort (selectors.LIST_SORTS, ADR 0018): an unknown value is the default order
    sort = lists.sort_param(request.GET.get("sort"), selectors.LIST_SORTS)
    try:
        qs = selectors.project_list(user=request.user, sort=sort, **filters)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    except DomainError as error:  # a past date over too many projects: how to narrow it
        raise BadRequest(error.message) from None
    language = language_of(request)
    # The list is the summary scope (an assigned expert finds the project of their review); the
    # compliance badges are part of the project's file: only for the rows the user reads in full.
    ids = [p.pk for p in page.object_list]
    if policies.summary_is_view(request.user):  # no expert assignment: every listed row is readable
        readable = set(ids)
    else:
        readable = set(policies.restrict(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    badges = _compliance_badges([p for p in page.object_list if p.pk in readable], language)
    rows = [{"project": p, "compliance": badges.get(p.pk)} for p in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "rows": rows,
        "page": page,
        "stage": stage,
        "department": department,
        "q": q,
        "health": filters["health"],
        "rule": filters["rule"],
        "year": filters["year"],
        "as_of": filters["as_of"],
        # the drill-down filters the form does not show, kept as the form changes the others
        "hidden_filters": [(k, filters[k]) for k in HIDDEN_FILTERS if filters[k]],
        "stages": Stage.choices,
        "departments": Department.objects.order_by("kind", "code"),
        "query": params.urlencode(),
        "sort": sort,
        "sorts": lists.sort_links(request, selectors.LIST_SORTS, sort),
        "may_create": request.user.has_role(*policies.DEPT_ROLES),
    }


# ---------------------------------------------------------------- create / edit


@login_required
@domain_errors
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(*policies.DEPT_ROLES) or user.department_id is None:
        raise PermissionDenied(_("Only department staff create projects."))
    form = ProjectForm(request.POST or None, lead_department_id=user.department_id)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        department = user.department
        if department is None:  # checked above by its id; read only now (no query on GET)
            raise PermissionDenied(_("Only department staff create projects."))
        try:
            project = services.project_create(actor=user, lead_department=department.code, **fields)
        except DomainError as e:
            errors.attach(form, e, language_of(request))
        else:
            messages.success(request, _("Project %(code)s was created as a draft.") % {"code": project.code})
            return redirect("web:project_detail", pk=project.pk)
    status = 400 if form.errors else 200
    return render(request, "projects/form.html", {"form": form, "project": None}, status=status)


@login_required
@domain_errors
def project_edit(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    if not policies.may_edit(user, project):
        raise PermissionDenied(_("Only the lead department edits the project."))
    if request.method == "POST":
        form = ProjectForm(request.POST, lead_department_id=project.lead_department_id, project=project)
        if form.is_valid():
            try:
                services.project_update(
                    actor=user,
                    project_id=project.pk,
                    changes=form.service_fields(),
                    expected_version=form.cleaned_data.get("version"),
                )
            except DomainError as e:
                errors.attach(form, e, language_of(request))
            else:
                messages.success(request, _("The project was saved."))
                return redirect("web:project_detail", pk=project.pk)
    else:
        initial = {f: getattr(project, f) for f in (*ProjectForm.TEXT, *ProjectForm.BOOL)}
        initial["participating_departments"] = [d.code for d in project.participating_departments.all()]
        initial["version"] = project.version
        form = ProjectForm(initial=initial, lead_department_id=project.lead_department_id, project=project)
    status = 400 if form.errors else 200
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)


# ---------------------------------------------------------------- the project page: 基本信息


def _info(request: AuthenticatedHttpRequest, project: Project) -> dict[str, Any]:
    return {
        "participants": list(project.participating_departments.all()),
        "may_edit": policies.may_edit(request.user, project),
    }


def _legacy_tab(request: AuthenticatedHttpRequest, pk: Any, key: str) -> HttpResponse:
    """`?tab=KEY` and `/tab/KEY/` (the first release's tab URLs) → the tab's own page, other query
    parameters kept (e.g. `as_of`)."""
    params = request.GET.copy()
    params.pop("tab", None)
    tab = registry.TABS.get(key)
    url = tab.url(Project(pk=pk)) if tab is not None else registry.TABS["info"].url(Project(pk=pk))
    query = f"?{urlencode(params, doseq=True)}" if params else ""
    return redirect(f"{url}{query}#tabs")


@login_required
@domain_errors
def project_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    key = request.GET.get("tab", "")
    if key and key != "info":
        return _legacy_tab(request, pk, key)
    project = selectors.project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, "info", _info(request, project))


@login_required
def project_tab(request: AuthenticatedHttpRequest, pk: Any, tab: str) -> HttpResponse:
    """The first release's htmx tab URL: redirects to the tab's own page (htmx follows)."""
    return _legacy_tab(request, pk, tab)


@login_required
@require_POST
@domain_errors
def project_transition(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    form = TransitionForm(request.POST)
    status = 400
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            project = services.project_transition(
                actor=user,
                project_id=project.pk,
                action=action,
                effective_date=form.cleaned_data.get("effective_date"),
                comment=form.cleaned_data.get("comment", ""),
                approval_reference=form.cleaned_data.get("approval_reference", ""),
                language=language_of(request),
            )
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            project = selectors.project_detail(user=user, project_id=pk)
            status = e.status
        else:
            messages.success(
                request,
                _("%(action)s: done. The project is now in stage %(stage)s.")
                % {"action": action_label(action), "stage": stage_label(project.stage)},
            )
            return redirect("web:project_detail", pk=project.pk)
    return render_tab(request, project, "info", _info(request, project), status=status, transition_form=form)


# ---------------------------------------------------------------- 合规检查


@login_required
@domain_errors
def compliance(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    project = selectors.project_detail(user=request.user, project_id=pk)
    as_of = AsOfForm(request.GET or None).value(clock.today())
    report = selectors.project_compliance(project=project, as_of=as_of, language=language_of(request))
    groups: dict[str, list[Any]] = {c: [] for c in CLAUSES}
    for r in report["results"]:
        groups.setdefault(r.clause, []).append(r)
    content = {
        "report": report,
        "as_of": as_of,
        "groups": [(c, rs) for c, rs in groups.items() if rs],
        "today": clock.today(),
    }
    return render_tab(request, project, "compliance", content)


# ---------------------------------------------------------------- 人员指派


@login_required
@domain_errors
def assignments(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """GET: who is assigned; POST: assign a user (NDRC), the form re-displayed on refusal."""
    user = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    form = AssignmentForm(request.POST or None) if request.method == "POST" or policies.may_assign(user) else None
    status = 200
    if form is not None and form.is_bound:
        status = 400
        if form.is_valid():
            try:
                services.assignment_add(
                    actor=user,
                    project_id=project.pk,
                    username=form.cleaned_data["username"].strip(),
                    task=form.cleaned_data["task"],
                )
            except DomainError as e:
                errors.attach(form, e, language_of(request))
                status = e.status
            else:
                messages.success(request, _("The user was assigned."))
                return redirect(registry.tab_url(project, "assignments"))
    content = {
        "assignments": selectors.assignments_visible(user=user, project=project),
        "assignment_form": form if policies.may_assign(user) else None,
    }
    return render_tab(request, project, "assignments", content, status=status)
