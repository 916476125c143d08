"""The web UI. Views are thin: reads go through selectors, every write through a service (which
checks scope and role and audits). Out-of-scope projects answer 404 exactly as in the API."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.choices import ADMIN_ROLES, Role
from egovpm.accounts.models import Department
from egovpm.audit.api import audit_csv
from egovpm.audit.selectors import audit_events
from egovpm.core import clock
from egovpm.core.errors import DomainError, Forbidden, NotFound
from egovpm.core.views import language_of
from egovpm.documents import selectors as document_selectors
from egovpm.documents import services as document_services
from egovpm.projects import policies, selectors, services
from egovpm.projects.choices import TRANSITIONS, Stage
from egovpm.projects.models import Project
from egovpm.web import errors, extensions
from egovpm.web.forms import (
    AsOfForm,
    AssignmentForm,
    AuditFilterForm,
    DocumentForm,
    LoginForm,
    ProjectForm,
    TransitionForm,
)
from egovpm.web.templatetags.egovpm_ui import CLAUSES, action_label, stage_label

CORE_TABS = ("info", "compliance", "documents", "assignments")


# What an expert assigned only to a project's review sees of it (projects/policies.py EXPERT_ACTIONS).
EXPERT_TABS = ("info", "documents", "reviews")


def reads_file(user: Any, project: Project) -> bool:
    """Does the user read the project's whole file — its stage history, compliance, estimates,
    reports …? That is the read scope `restrict(user)` ("view"), the one the API's reads use. An
    expert reaches a project only for its review ("summary"/"documents"/"review"): without "view"
    they see the summary, the needs-analysis report and the review, nothing else (ADR 0001)."""
    return policies.restrict(user).filter(pk=project.pk).exists()


def visible_tabs(user: Any, project: Project, *, full: bool | None = None) -> list[str]:
    keys = tab_keys()
    if not (reads_file(user, project) if full is None else full):
        return [k for k in keys if k in EXPERT_TABS]
    return keys


def tab_keys() -> list[str]:
    """The core tabs, then the ones the domain apps registered (web/extensions.py), by order."""
    return [*CORE_TABS, *(t.key for t in sorted(extensions.TABS.values(), key=lambda t: t.order))]


def tab_template(tab: str) -> str:
    return extensions.TABS[tab].template if tab in extensions.TABS else f"web/projects/tabs/{tab}.html"


# Rules whose fix is on the edit page; the others are fixed by filing documents or records.
EDIT_RULES = {"C2.1", "C10.2", "C11.1"}
DOCUMENT_RULES = {"C6.2", "C7.1", "C7.2", "C10.1", "C3.5"}
PAGE_SIZE = 20


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NotFound → 404 page, Forbidden → 403 page; other refusals are handled by the view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as e:
            raise Http404(e.message)
        except Forbidden as e:
            raise PermissionDenied(e.message)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


# ---------------------------------------------------------------- 待办 / 已办


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role_set and user.role_set <= ADMIN_ROLES and user.has_role(Role.AUDIT_ADMIN):
        return redirect("web:audit")
    todo = [
        {"project": p, "actions": [{"code": a, "ndrc": TRANSITIONS[a].ndrc_approval} for a in actions]}
        for p, actions in selectors.inbox_projects(user=user)  # type: ignore[arg-type]
    ]
    done = selectors.events_by_actor(user=user)  # type: ignore[arg-type]
    # Obligations from the domain apps (reports due, opinions to give, filings pending...), soonest first.
    items = [item for provider in extensions.INBOX for item in provider(user)]
    items.sort(key=lambda i: (i.due is None, i.due or clock.today()))
    return render(
        request,
        "web/inbox.html",
        {"todo": todo, "done": done, "items": items, "today": clock.today(), "waiting_count": len(todo) + len(items)},
    )


# ---------------------------------------------------------------- project list


def _compliance_counts(project: Project, language: str) -> dict[str, int]:
    report = selectors.project_compliance(project=project, language=language)
    counts = {"bad": 0, "warn": 0}
    for r in report["results"]:
        if r.status == "error" or (r.status == "fail" and r.severity in ("gate", "violation")):
            counts["bad"] += 1
        elif r.status == "fail":
            counts["warn"] += 1
    return counts


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    department = request.GET.get("department", "")
    q = request.GET.get("q", "").strip()
    qs = selectors.project_list(user=request.user, stage=stage, department=department, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    language = language_of(request)
    # The list is the summary scope (an assigned expert finds the project of their review); the
    # compliance badges are part of the project's file: only for the rows the user reads in full.
    readable = set(
        policies.restrict(request.user).filter(pk__in=[p.pk for p in page.object_list]).values_list("pk", flat=True)
    )
    rows = [
        {"project": p, "compliance": _compliance_counts(p, language) if p.pk in readable else None}
        for p in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "rows": rows,
        "page": page,
        "stage": stage,
        "department": department,
        "q": q,
        "stages": Stage.choices,
        "departments": Department.objects.order_by("kind", "code"),
        "query": params.urlencode(),
        "may_create": request.user.has_role(*policies.DEPT_ROLES),  # type: ignore[union-attr]
    }
    template = "web/projects/_table.html" if request.htmx and not request.htmx.boosted else "web/projects/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# ---------------------------------------------------------------- create / edit


@login_required
@domain_errors
def project_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_role(*policies.DEPT_ROLES) or user.department_id is None:
        raise PermissionDenied(_("Only department staff create projects."))
    form = ProjectForm(request.POST or None, lead_department_id=user.department_id)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            project = services.project_create(actor=user, lead_department=user.department.code, **fields)
        except DomainError as e:
            errors.attach(form, e, language_of(request))
        else:
            messages.success(request, _("Project %(code)s was created as a draft.") % {"code": project.code})
            return redirect("web:project_detail", pk=project.pk)
    status = 400 if form.errors else 200
    return render(request, "web/projects/form.html", {"form": form, "project": None}, status=status)


@login_required
@domain_errors
def project_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    user: Any = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    if not policies.may_edit(user, project):
        raise PermissionDenied(_("Only the lead department edits the project."))
    if request.method == "POST":
        form = ProjectForm(request.POST, lead_department_id=project.lead_department_id)
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
        form = ProjectForm(initial=initial, lead_department_id=project.lead_department_id)
    status = 400 if form.errors else 200
    return render(request, "web/projects/form.html", {"form": form, "project": project}, status=status)


# ---------------------------------------------------------------- detail


def _timeline(project: Project, events: list[Any]) -> list[dict[str, Any]]:
    stages = [s for s in Stage if s != Stage.CANCELLED]
    current = project.stage
    if current == Stage.CANCELLED:
        cancel = next((e for e in reversed(events) if e.to_stage == Stage.CANCELLED), None)
        reached = stages.index(Stage(cancel.from_stage)) if cancel else 0
        stages.append(Stage.CANCELLED)
        current_index = len(stages) - 1
    else:
        current_index = stages.index(Stage(current))
        reached = current_index
    items = []
    for i, stage in enumerate(stages):
        entering = next((e for e in reversed(events) if e.to_stage == stage), None)
        if stage == Stage.CANCELLED or i == current_index:
            state = "current"
        elif i <= reached:
            state = "done"
        else:
            state = "todo"
        items.append({"stage": stage, "state": state, "event": entering if state != "todo" else None})
    return items


# Where a blocked rule is fixed: the tab of the app that holds its records (when that app is installed).
RULE_TABS = {
    "C3": "budgets",
    "C4": "reports",
    "C6": "security",
    "C9": "security",
    "C7": "archives",
    "C10.1": "reviews",
    "C10.2": "reviews",
}


def _fix_link(project: Project, rule: str, may_edit: bool) -> tuple[str, str]:
    detail = reverse("web:project_detail", kwargs={"pk": project.pk})
    if rule in EDIT_RULES and may_edit and rule != "C10.2":
        return reverse("web:project_edit", kwargs={"pk": project.pk}), _("Edit the project")
    tab = RULE_TABS.get(rule) or RULE_TABS.get(rule.split(".")[0])
    if tab in extensions.TABS:
        return f"{detail}?tab={tab}#tabs", _("Go to {tab}").format(tab=extensions.TABS[tab].title)
    if rule in DOCUMENT_RULES:
        return f"{detail}?tab=documents#tabs", _("Go to documents")
    return f"{detail}?tab=compliance#tabs", _("See the compliance check")


def _tab_context(request: HttpRequest, project: Project, tab: str, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    language = language_of(request)
    context: dict[str, Any] = {"project": project, "tab": tab}
    if tab == "info":
        context["participants"] = list(project.participating_departments.all())
        context["may_edit"] = policies.may_edit(user, project)
    elif tab == "compliance":
        as_of_form = AsOfForm(request.GET or None)
        as_of = as_of_form.value(clock.today())
        report = selectors.project_compliance(project=project, as_of=as_of, language=language)
        groups: dict[str, list[Any]] = {c: [] for c in CLAUSES}
        for r in report["results"]:
            groups.setdefault(r.clause, []).append(r)
        context.update(
            report=report,
            as_of=as_of,
            groups=[(c, rs) for c, rs in groups.items() if rs],
            today=clock.today(),
        )
    elif tab == "documents":
        context["documents"] = document_selectors.document_list(user=user, project_id=project.pk)
        if policies.may_add_documents(user, project):
            context["document_form"] = forms.get("document_form") or DocumentForm(initial={"stage": project.stage})
    elif tab in extensions.TABS:
        context.update(extensions.TABS[tab].context(request, project))
    elif tab == "assignments":
        context["assignments"] = selectors.assignments_visible(user=user, project=project)
        if policies.may_assign(user):
            context["assignment_form"] = forms.get("assignment_form") or AssignmentForm()
    return context


def _render_detail(
    request: HttpRequest,
    project: Project,
    *,
    tab: str = "info",
    transition_form: TransitionForm | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user: Any = request.user
    language = language_of(request)
    full = reads_file(user, project)
    tabs = visible_tabs(user, project, full=full)
    if tab not in tabs:
        # A write's form re-displayed after a refusal must not show a tab the user may not read.
        raise NotFound("project not found")
    events = list(selectors.project_events(project=project))
    timeline = _timeline(project, events)
    if not full:
        # The stage history (actors, approval numbers, comments) is the project's file: an expert
        # sees where the project stands, not who did what (API: /events answers them 404).
        events = []
        timeline = [{**item, "event": None} for item in timeline]
    may_edit = policies.may_edit(user, project)
    options = []
    for option in services.action_options(actor=user, project=project, language=language):
        t = TRANSITIONS[option.action]
        form = (
            transition_form
            if transition_form is not None and transition_form.data.get("action") == option.action
            else TransitionForm(initial={"action": option.action})
        )
        options.append(
            {
                "action": option.action,
                "allowed": option.allowed,
                "ndrc_approval": t.ndrc_approval,
                "requires_comment": t.requires_comment,
                "danger": option.action in ("cancel", "return"),
                "form": form,
                "open": form.is_bound,
                "reasons": [{**r, "fix": _fix_link(project, r["rule"], may_edit)} for r in option.reasons],
            }
        )
    context = {
        "project": project,
        "events": events,
        "timeline": timeline,
        "options": options,
        "tabs": [(t, _tab_title(t)) for t in tabs],
        "tab_template": tab_template(tab),
        **_tab_context(request, project, tab, **forms),
    }
    return render(request, "web/projects/detail.html", context, status=status)


def _tab_title(tab: str) -> str:
    if tab in extensions.TABS:
        return str(extensions.TABS[tab].title)
    return {
        "info": _("Basic information"),
        "compliance": _("Compliance check"),
        "documents": _("Documents"),
        "assignments": _("Assignments"),
    }[tab]


@login_required
@domain_errors
def project_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    project = selectors.project_detail(user=request.user, project_id=pk)
    tab = request.GET.get("tab", "info")
    if tab not in visible_tabs(request.user, project):
        tab = "info"
    return _render_detail(request, project, tab=tab)


@login_required
@domain_errors
def project_tab(request: HttpRequest, pk: Any, tab: str) -> HttpResponse:
    """One tab's panel, loaded by htmx (the full page renders the same partial)."""
    project = selectors.project_detail(user=request.user, project_id=pk)
    if tab not in visible_tabs(request.user, project):
        raise Http404("no such tab")
    return render(request, tab_template(tab), _tab_context(request, project, tab))


@login_required
@require_POST
@domain_errors
def project_transition(request: HttpRequest, pk: Any) -> HttpResponse:
    user: Any = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    form = TransitionForm(request.POST)
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
    else:
        status = 400
    return _render_detail(request, project, transition_form=form, status=status)


@login_required
@require_POST
@domain_errors
def document_upload(request: HttpRequest, pk: Any) -> HttpResponse:
    user: Any = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    form = DocumentForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = document_services.document_upload(
                actor=user,
                project_id=project.pk,
                file=data["file"],
                stage=data["stage"],
                category=data["category"],
                title=data.get("title") or "",
                retention=data.get("retention") or "",
                max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
            )
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("Document “%(title)s” was stored.") % {"title": document.title})
            return redirect(reverse("web:project_detail", kwargs={"pk": project.pk}) + "?tab=documents#tabs")
    return _render_detail(request, project, tab="documents", document_form=form, status=status)


@login_required
@require_POST
@domain_errors
def assignment_add(request: HttpRequest, pk: Any) -> HttpResponse:
    user: Any = request.user
    project = selectors.project_detail(user=user, project_id=pk)
    form = AssignmentForm(request.POST)
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
            return redirect(reverse("web:project_detail", kwargs={"pk": project.pk}) + "?tab=assignments#tabs")
    return _render_detail(request, project, tab="assignments", assignment_form=form, status=status)


# ---------------------------------------------------------------- audit log


def _audit_queryset(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    if not request.user.has_role(Role.AUDIT_ADMIN):  # type: ignore[union-attr]
        raise PermissionDenied(_("Only the audit administrator reads the audit log."))
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, audit_events(**filters)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form, qs = _audit_queryset(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "web/audit.html", {"form": form, "page": page, "query": params.urlencode()})


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    _form, qs = _audit_queryset(request)
    return audit_csv(qs)
