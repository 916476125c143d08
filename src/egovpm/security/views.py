"""Web pages of the security app: the project tab 信息系统与安全 and its forms. Thin: every write
goes through security.services (scope, role, audit); refusals come back onto the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock
from egovpm.core.bounded import bounded
from egovpm.core.errors import DomainError
from egovpm.core.views import language_of
from egovpm.documents.models import Document
from egovpm.projects import policies as project_policies
from egovpm.projects import selectors as project_selectors
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project
from egovpm.security import policies, selectors, services
from egovpm.security.errors import SecurityError
from egovpm.security.forms import ExceptionForm, RiskAssessmentForm, SystemForm
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import kept_under_records
from egovpm.web.registry import InboxItem, more_line

TAB = "security"
RULES = ("C6.1", "C6.2", "C6.3", "C9.1", "C9.2", "C9.3")


def _report_documents(project: Any) -> list[tuple[str, str]]:
    return [
        (str(d.pk), f"{d.title} v{d.version}")
        for d in Document.objects.filter(project=project, category="risk_assessment_report").order_by("-uploaded_at")
    ]


def tab_context(request: AuthenticatedHttpRequest, project: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tab's content; `bound` holds the forms of a refused POST, shown instead of fresh ones."""
    user = request.user
    bound = bound or {}
    report = project_selectors.project_compliance(project=project, language=language_of(request))
    may_edit = policies.may_edit_systems(user, project)
    context: dict[str, Any] = {
        "systems": list(selectors.project_systems(project=project)),
        "assessments": list(selectors.project_risk_assessments(project=project)),
        "security_results": [r for r in report["results"] if r.rule in RULES],
        "may_edit_systems": may_edit,
        "may_grant_exception": policies.may_grant_exception(user),
        "exception_form": bound.get("exception_form") or ExceptionForm(),
        "exception_for": bound.get("exception_for"),
    }
    if may_edit:
        context["system_form"] = bound.get("system_form") or SystemForm()
    if policies.may_record_assessment(user, project):
        context["assessment_form"] = bound.get("assessment_form") or RiskAssessmentForm(
            documents=_report_documents(project), initial={"assessed_on": clock.today()}
        )
    return context


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 信息系统与安全."""
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, TAB, tab_context(request, project))


def _back(project: Any) -> HttpResponse:
    return redirect(registry.tab_url(project, TAB))


def _redisplay(request: AuthenticatedHttpRequest, project: Any, status: int, **forms: Any) -> HttpResponse:
    return render_tab(request, project, TAB, tab_context(request, project, forms), status=status)


@login_required
@require_POST
@domain_errors
def system_add(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = SystemForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            system = services.system_create(actor=user, project_id=project.pk, data=form.service_fields())
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("Information system “%(name)s” was recorded.") % {"name": system.name})
            return _back(project)
    return _redisplay(request, project, status, system_form=form)


@login_required
@domain_errors
def system_edit(request: AuthenticatedHttpRequest, pk: Any, system_id: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    system = selectors.system_for(user=user, system_id=system_id)
    if system.project_id != project.pk:
        from django.http import Http404

        raise Http404("no such system")
    project_policies.require(policies.may_edit_systems(user, project), SecurityError.EDIT_SYSTEMS_LEAD_ONLY)
    if request.method == "POST":
        form = SystemForm(request.POST)
        if form.is_valid():
            try:
                services.system_update(
                    actor=user,
                    system_id=system.pk,
                    changes=form.service_fields(),
                    expected_version=form.cleaned_data.get("version"),
                )
            except DomainError as e:
                errors.attach(form, e, language_of(request))
            else:
                messages.success(request, _("The information system was saved."))
                return _back(project)
    else:
        initial = {f: getattr(system, f) for f in SystemForm.base_fields if f != "version"}
        initial["version"] = system.version
        form = SystemForm(initial=initial)
    status = 400 if form.errors else 200
    return render(
        request, "security/system_form.html", {"form": form, "project": project, "system": system}, status=status
    )


@login_required
@require_POST
@domain_errors
def system_exception(request: AuthenticatedHttpRequest, pk: Any, system_id: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = ExceptionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.system_grant_exception(actor=user, system_id=system_id, reason=form.cleaned_data["reason"])
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("The network exception was recorded."))
            return _back(project)
    return _redisplay(request, project, status, exception_form=form, exception_for=str(system_id))


@login_required
@require_POST
@domain_errors
def risk_assessment_add(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = RiskAssessmentForm(request.POST, documents=_report_documents(project))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.risk_assessment_record(
                actor=user,
                project_id=project.pk,
                assessed_on=data["assessed_on"],
                assessor=data["assessor"],
                summary=data["summary"],
                residual_risks=data.get("residual_risks", ""),
                document=data.get("document") or None,
            )
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("The risk assessment was recorded."))
            return _back(project)
    return _redisplay(request, project, status, assessment_form=form)


INBOX_LIMIT = 20


def _risk_todo(user: User) -> tuple[list[Project], int]:
    """The INBOX_LIMIT longest in trial operation without a risk assessment, and how many in all."""
    return bounded(selectors.risk_assessment_todo(user=user), INBOX_LIMIT)


def inbox_items(user: User) -> list[InboxItem]:
    """待办 for the lead department: projects in trial operation still without a risk assessment
    (C6.2 will block their preliminary acceptance) — the INBOX_LIMIT longest in trial operation and
    a line saying how many more (to the project list of that stage)."""
    # kept while no record changes (web.inbox.kept_under_records): the stage's projects checked
    projects, count = kept_under_records(f"security.inbox:user{user.pk}", lambda: _risk_todo(user))
    items = [
        InboxItem(
            title=_("Organise the information-security risk assessment of trial operation (C6.2)"),
            url=registry.tab_url(project, TAB),
            project=project,
            kind="risk_assessment",
        )
        for project in projects
    ]
    if count <= len(projects):
        return items
    department = user.department.code if user.department else ""
    url = reverse("web:project_list") + "?" + urlencode({"stage": Stage.TRIAL_OPERATION, "department": department})
    title = _("…and %(n)s more projects in trial operation without a risk assessment")
    return items + more_line(count, len(projects), title, url, "risk_assessment_more")
