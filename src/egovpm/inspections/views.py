"""Web pages of the inspections app: the project tab 监督检查 (inspections with their findings and
rectification items; forms by role — NDRC opens, the inspection's own inspectors record, issue,
close and reopen, the lead department answers), the inspector's 监督检查 page, and the 待办."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock, lists
from egovpm.core.errors import DomainError, NotFound
from egovpm.core.views import language_of
from egovpm.documents.models import Document
from egovpm.inspections import machine, policies, selectors, services
from egovpm.inspections.errors import InspectionError
from egovpm.inspections.filters import InspectionFilter
from egovpm.inspections.forms import AnswerForm, CloseForm, FindingForm, IssueForm, OpenForm, ReopenForm
from egovpm.inspections.models import Inspection, RectificationItem
from egovpm.projects import selectors as project_selectors
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import render_kept_page
from egovpm.web.registry import InboxItem, more_line

TAB = "inspections"
RULES = ("C8.1",)


def _open_form(data: Any = None) -> OpenForm:
    departments = Department.objects.exclude(kind="ndrc").order_by("code")
    return OpenForm(
        data,
        inspectors=list(selectors.inspector_users()),
        departments=list(departments),
        initial={"started_on": clock.today(), "kind": "inspection"},
    )


def tab_context(request: AuthenticatedHttpRequest, project: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tab's content; `bound` = {"key": which form, "form": the refused form}."""
    user = request.user
    bound = bound or {}
    today = clock.today()
    inspections = list(selectors.project_inspections(project=project))
    own = policies.own_inspections(user, [i.pk for i in inspections])
    codes = {c for i in inspections for c in i.co_organisers}
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    may_answer = policies.may_answer(user, project)
    documents = list(Document.objects.filter(project=project).order_by("-uploaded_at")[:50]) if may_answer else []
    report = project_selectors.project_compliance(project=project, language=language_of(request))
    rows = []
    for inspection in inspections:
        mine = inspection.pk in own
        findings = []
        for f in inspection.findings.all():
            item = getattr(f, "item", None)
            kind = str(bound.get("key", "")).split(":")[0]
            refused = item is not None and bound.get("key") == f"{kind}:{item.pk}"
            findings.append(
                {
                    "finding": f,
                    "item": item,
                    # a refused answer, close or reopen of this item: its form's errors, shown there
                    "refused": kind if refused else "",
                    "refused_form": bound.get("form") if refused else None,
                    "overdue": item is not None and machine.is_overdue(item.state, item.due_date, today),
                    "answer": may_answer and item is not None and item.state == machine.OPEN,
                    "decide": mine and item is not None and item.state == machine.SUBMITTED,
                }
            )
        key = f"finding:{inspection.pk}"
        rows.append(
            {
                "inspection": inspection,
                "co_organisers": [names.get(c, c) for c in inspection.co_organisers],
                "mine": mine,
                "findings": findings,
                "finding_form": (
                    (bound["form"] if bound.get("key") == key else FindingForm(scope=inspection.scope))
                    if mine and inspection.state == machine.IN_PROGRESS
                    else None
                ),
                "issue_form": (
                    (
                        bound["form"]
                        if bound.get("key") == f"issue:{inspection.pk}"
                        else IssueForm(initial={"ended_on": today})
                    )
                    if mine and inspection.state == machine.IN_PROGRESS
                    else None
                ),
            }
        )
    return {
        "rows": rows,
        "c81": [r for r in report["results"] if r.rule in RULES],
        "open_form": (bound["form"] if bound.get("key") == "open" else _open_form())
        if policies.may_open(user)
        else None,
        "documents": documents,
        "today": today,
    }


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 监督检查."""
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, TAB, tab_context(request, project))


def _submit(
    request: AuthenticatedHttpRequest,
    project: Any,
    key: str,
    form: Any,
    write: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """The one shape of every form of the tab: an invalid form or a refusal comes back on the tab
    at its place with the reasons (400/409; 403 and 404 are pages); a success goes back to the tab."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, done)
            return redirect(registry.tab_url(project, TAB))
    else:
        status = 400
    return render_tab(request, project, TAB, tab_context(request, project, {"key": key, "form": form}), status=status)


@login_required
@require_POST
@domain_errors
def inspection_open(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    return _submit(
        request,
        project,
        "open",
        _open_form(request.POST),
        lambda data: services.inspection_open(actor=user, project_id=project.pk, **data),
        _("The inspection was opened."),
    )


def _inspection(request: AuthenticatedHttpRequest, pk: Any, inspection_id: Any) -> tuple[Any, Inspection]:
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    inspection = selectors.inspection_for(request.user, inspection_id)
    if inspection.project_id != project.pk:
        raise NotFound(InspectionError.INSPECTION_NOT_FOUND)
    return project, inspection


@login_required
@require_POST
@domain_errors
def finding_add(request: AuthenticatedHttpRequest, pk: Any, inspection_id: Any) -> HttpResponse:
    user = request.user
    project, inspection = _inspection(request, pk, inspection_id)
    return _submit(
        request,
        project,
        f"finding:{inspection.pk}",
        FindingForm(request.POST, scope=inspection.scope),
        lambda data: services.finding_add(actor=user, inspection_id=inspection.pk, **data),
        _("The finding was recorded."),
    )


@login_required
@require_POST
@domain_errors
def inspection_issue(request: AuthenticatedHttpRequest, pk: Any, inspection_id: Any) -> HttpResponse:
    user = request.user
    project, inspection = _inspection(request, pk, inspection_id)
    return _submit(
        request,
        project,
        f"issue:{inspection.pk}",
        IssueForm(request.POST),
        lambda data: services.inspection_issue(actor=user, inspection_id=inspection.pk, **data),
        _("The report was issued; the rectification notice can be downloaded."),
    )


def _item(request: AuthenticatedHttpRequest, pk: Any, item_id: Any) -> tuple[Any, RectificationItem]:
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    item = selectors.item_for(request.user, item_id)
    if item.project_id != project.pk:
        raise NotFound(InspectionError.ITEM_NOT_FOUND)
    return project, item


@login_required
@require_POST
@domain_errors
def item_answer(request: AuthenticatedHttpRequest, pk: Any, item_id: Any) -> HttpResponse:
    user = request.user
    project, item = _item(request, pk, item_id)
    documents = Document.objects.filter(project=project).order_by("-uploaded_at")[:50]
    return _submit(
        request,
        project,
        f"answer:{item.pk}",
        AnswerForm(request.POST, request.FILES, documents=documents),
        lambda data: services.rectification_answer(
            actor=user,
            item_id=item.pk,
            text=data["text"],
            documents=data["documents"],
            answered_on=data["answered_on"],
            upload=data["file"],
            max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
        ),
        _("The answer was submitted to the inspectors."),
    )


@login_required
@require_POST
@domain_errors
def item_close(request: AuthenticatedHttpRequest, pk: Any, item_id: Any) -> HttpResponse:
    user = request.user
    project, item = _item(request, pk, item_id)
    return _submit(
        request,
        project,
        f"close:{item.pk}",
        CloseForm(request.POST),
        lambda data: services.rectification_close(actor=user, item_id=item.pk, **data),
        _("The rectification item was closed."),
    )


@login_required
@require_POST
@domain_errors
def item_reopen(request: AuthenticatedHttpRequest, pk: Any, item_id: Any) -> HttpResponse:
    user = request.user
    project, item = _item(request, pk, item_id)
    return _submit(
        request,
        project,
        f"reopen:{item.pk}",
        ReopenForm(request.POST),
        lambda data: services.rectification_reopen(actor=user, item_id=item.pk, **data),
        _("The rectification item was reopened."),
    )


# ----------------------------------------------------------------------------- the inspector's page


def nav_visible(user: User) -> bool:
    return bool(user.has_role(Role.INSPECTOR, Role.NDRC_OFFICER, Role.MOF_VIEWER, Role.DEPT_STAFF, Role.DEPT_LEADER))


def nav_home(user: User) -> bool:
    """An inspector (and nobody else) lands on their inspections."""
    return bool(user.has_role(Role.INSPECTOR)) and not user.has_role(
        Role.NDRC_OFFICER, Role.DEPT_STAFF, Role.DEPT_LEADER
    )


@login_required
def inspection_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """监督检查: an inspector's own inspections; for everyone else those of the projects they read —
    filtered (InspectionFilter: a refused value is a 400 naming it), sorted by a header
    (INSPECTION_SORTS), paged, and exported as shown (`export=xlsx`, core/lists.py)."""
    filters = InspectionFilter(request.GET, queryset=selectors.visible_inspections(user=request.user))
    sort = lists.sort_param(request.GET.get("sort"), INSPECTION_SORTS)
    inspections = lists.sorted_by(lists.filtered(filters), sort, INSPECTION_SORTS, INSPECTION_ORDER)
    if request.GET.get("export") == "xlsx":
        return _inspection_export(inspections)

    def context() -> dict[str, Any]:
        page = Paginator(inspections, 20).get_page(request.GET.get("page"))
        open_items = []
        if request.user.has_role(Role.DEPT_STAFF, Role.DEPT_LEADER) and request.user.department_id:
            today = clock.today()
            open_items = [
                (i, machine.is_overdue(i.state, i.due_date, today))
                for i in selectors.department_open_items(department_id=request.user.department_id)[:200]
            ]
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "page": page,
            "open_items": open_items,
            "filter": filters.form,
            "sort": sort,
            "sorts": lists.sort_links(request, INSPECTION_SORTS, sort),
            "export_url": lists.export_url(request),
            "page_query": query.urlencode(),
        }

    # rendered once and kept for this user and address under the records' stamp (ADR 0020)
    return render_kept_page(request, "inspections/index.html", "inspections/index_body.html", context)


# The 监督检查 list's sortable columns (core/lists.py) and its default order (latest started first).
INSPECTION_SORTS: dict[str, tuple[str, ...]] = {
    "reference": ("reference",),
    "project": ("project__name",),
    "kind": ("kind",),
    "started": ("started_on",),
    "state": ("state",),
}
INSPECTION_ORDER = ("-started_on", "-opened_at")


def _inspection_export(inspections: Any) -> HttpResponse:
    """The list as XLSX: the filtered, sorted inspections of the user's scope (lists.EXPORT_LIMIT)."""
    header = [
        _("Reference"),
        _("Project"),
        _("Project code"),
        _("Lead department"),
        _("Kind"),
        _("Started on"),
        _("Ended on"),
        _("State"),
    ]
    rows = (
        [
            i.reference,
            i.project.name,
            i.project.code,
            i.project.lead_department.name,
            i.get_kind_display(),
            i.started_on,
            i.ended_on,
            i.get_state_display(),
        ]
        for i in inspections.select_related("project__lead_department")[: lists.EXPORT_LIMIT]
    )
    return lists.xlsx_response("inspections.xlsx", header, rows)


# ------------------------------------------------------------------------------------------- 待办

INBOX_LIMIT = 20


def inbox_items(user: User) -> list[InboxItem]:
    """待办: for the lead department, its open rectification items (due soonest first, overdue
    marked); for an inspector, inspections in progress to record and issue, and answers to check.
    Each list is bounded, with a line saying how many more."""
    items: list[InboxItem] = []
    today = clock.today()
    if user.has_role(Role.DEPT_STAFF, Role.DEPT_LEADER) and user.department_id:
        todo = selectors.department_open_items(department_id=user.department_id)
        shown = list(todo[:INBOX_LIMIT])
        for item in shown:
            overdue = machine.is_overdue(item.state, item.due_date, today)
            title = _("Rectify %(reference)s finding %(seq)s%(late)s") % {
                "reference": item.finding.inspection.reference,
                "seq": item.finding.seq,
                "late": _(" (overdue)") if overdue else "",
            }
            items.append(
                InboxItem(
                    title=title,
                    url=registry.tab_url(item.project, TAB),
                    project=item.project,
                    due=item.due_date,
                    kind="rectification",
                    extra={"overdue": overdue},
                )
            )
        count = len(shown) if len(shown) < INBOX_LIMIT else todo.count()
        more = _("…and %(n)s more rectification items")
        items += more_line(count, len(shown), more, reverse("web:inspections"), "rectification_more")
    if user.has_role(Role.INSPECTOR):
        todo_i = selectors.inspector_todo(user=user)
        shown_i = list(todo_i[:INBOX_LIMIT])
        for inspection in shown_i:
            title = (
                _("Record the findings of %(reference)s and issue the report")
                if inspection.state == machine.IN_PROGRESS
                else _("Check the rectification answers of %(reference)s")
            ) % {"reference": inspection.reference}
            items.append(
                InboxItem(
                    title=title,
                    url=registry.tab_url(inspection.project, TAB),
                    project=inspection.project,
                    kind="inspection",
                )
            )
        count = len(shown_i) if len(shown_i) < INBOX_LIMIT else todo_i.count()
        items += more_line(
            count, len(shown_i), _("…and %(n)s more inspections"), reverse("web:inspections"), "inspection_more"
        )
    return items
