"""Web pages of the archives app: the project tab 档案 (completeness view, register, archiving,
archive acceptance, completion-acceptance snapshot, package button) and the 档案 page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.archives import policies, selectors, services
from egovpm.archives.filters import ArchiveProjectFilter
from egovpm.archives.forms import AcceptanceForm
from egovpm.core import clock, lists
from egovpm.core.errors import DomainError
from egovpm.core.views import language_of
from egovpm.documents import services as document_services
from egovpm.projects import policies as project_policies
from egovpm.projects import selectors as project_selectors
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import render_kept_page
from egovpm.web.registry import InboxItem, more_line

TAB = "archives"
RULES = ("C7.1", "C7.2")

# What other apps show beside the completion acceptance (procurement registers the project's
# 自主可控 shares, clause 5): project -> {"template": a template name, **its context} or None. The
# archives app imports none of them (tests/core/test_import_graph.py); they register in ready().
CompletionPart = Callable[[Any], dict[str, Any] | None]
COMPLETION_PARTS: list[CompletionPart] = []
ACCEPTANCE_STAGES = frozenset({"acceptance", "in_operation"})


def register_completion_part(part: CompletionPart) -> None:
    if part not in COMPLETION_PARTS:
        COMPLETION_PARTS.append(part)


def completion_parts(project: Any, completion: Any) -> list[dict[str, Any]]:
    """The registered parts, once the project is in completion acceptance or has passed it."""
    if completion is None and project.stage not in ACCEPTANCE_STAGES:
        return []
    return [shown for part in COMPLETION_PARTS if (shown := part(project)) is not None]


def tab_context(request: AuthenticatedHttpRequest, project: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tab's content; `bound` holds a refused POST's form or error, shown on the tab."""
    user = request.user
    bound = bound or {}
    report = project_selectors.project_compliance(project=project, language=language_of(request))
    completion = selectors.completion_acceptance(project=project)
    register = list(selectors.archive_register(project=project))
    context: dict[str, Any] = {
        "completeness": selectors.archive_completeness(project=project, register=register),
        "register": register,
        "acceptances": list(selectors.project_acceptances(project=project)),
        "archive_results": [r for r in report["results"] if r.rule in RULES],
        "completion": completion,
        "completion_parts": completion_parts(project, completion),
        "completion_failing": [r for r in completion.results if r["status"] in ("fail", "error")] if completion else [],
        "may_archive": policies.may_archive(user, project),
        "archive_error": bound.get("archive_error"),
    }
    if policies.may_record_acceptance(user, project):
        context["acceptance_form"] = bound.get("acceptance_form") or AcceptanceForm(
            initial={"accepted_on": clock.today(), "organizer": getattr(user.department, "name", "")}
        )
    return context


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 档案."""
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, TAB, tab_context(request, project))


def _back(project: Any) -> HttpResponse:
    return redirect(registry.tab_url(project, TAB))


@login_required
@require_POST
@domain_errors
def document_archive(request: AuthenticatedHttpRequest, pk: Any, document_id: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    try:
        document = document_services.document_archive(actor=user, document_id=document_id)
    except DomainError as e:
        if e.status in (403, 404):
            raise
        content = tab_context(request, project, {"archive_error": e.message})
        return render_tab(request, project, TAB, content, status=e.status)
    messages.success(request, _("“%(title)s” was archived; it can no longer be changed.") % {"title": document.title})
    return _back(project)


@login_required
@require_POST
@domain_errors
def acceptance_add(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = AcceptanceForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.archive_acceptance_record(actor=user, project_id=project.pk, **form.cleaned_data)
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("The archive acceptance was recorded."))
            return _back(project)
    return render_tab(request, project, TAB, tab_context(request, project, {"acceptance_form": form}), status=status)


def nav_visible(user: User) -> bool:
    return bool(user.has_role(Role.ARCHIVIST, Role.NDRC_OFFICER, *project_policies.DEPT_ROLES))


@login_required
def archive_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """档案: the projects in the user's scope (an archivist: those assigned) with their archive state."""
    user = request.user
    filters = ArchiveProjectFilter(request.GET, queryset=selectors.archive_projects(user=user))
    if not filters.is_valid():
        raise BadRequest("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in filters.errors.items()))
    sort = lists.sort_param(request.GET.get("sort"), ARCHIVE_SORTS)
    projects = lists.sorted_by(filters.qs, sort, ARCHIVE_SORTS, ARCHIVE_ORDER)
    if request.GET.get("export") == "xlsx":
        return _archive_export(user, list(projects[: lists.EXPORT_LIMIT]))

    def context() -> dict[str, Any]:
        count = functools.partial(selectors.archive_projects_count, user=user, params=filters.form.cleaned_data)
        page = CountedPaginator(projects, 20, count).get_page(request.GET.get("page"))
        rows = selectors.archive_index_rows(user=user, projects=list(page.object_list))
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "rows": rows,
            "page": page,
            "filter": filters.form,
            "sorts": lists.sort_links(request, ARCHIVE_SORTS, sort),
            "export_url": lists.export_url(request),
            "page_query": query.urlencode(),
        }

    # rendered once and kept for this user and address under the records' stamp (ADR 0020)
    return render_kept_page(request, "archives/index.html", "archives/index_body.html", context)


class CountedPaginator(Paginator):
    """A Paginator whose count is the caller's (asked once, when needed): the list's own COUNT(*)
    is the OR of the scope, which PostgreSQL answers by reading every project."""

    def __init__(self, object_list: Any, per_page: int, count: Callable[[], int]) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


# The 档案 list's sortable columns (core/lists.py) and its default order (most recently changed).
ARCHIVE_SORTS: dict[str, tuple[str, ...]] = {
    "project": ("name",),
    "code": ("code",),
    "department": ("lead_department__name",),
    "stage": ("stage",),
}
ARCHIVE_ORDER = ("-updated_at", "code")


def _archive_export(user: User, projects: list[Any]) -> HttpResponse:
    """The 档案 list as XLSX: the filtered, sorted projects of the user's scope (EXPORT_LIMIT)."""
    from egovpm.projects.choices import Stage

    header = [
        _("Project"),
        _("Project code"),
        _("Lead department"),
        _("Stage"),
        _("Archived"),
        _("Documents"),
        _("Missing from the filing scope"),
        _("Latest archive acceptance"),
        _("Accepted on"),
    ]
    rows = (
        [
            r["project"].name,
            r["project"].code,
            r["project"].lead_department.name,
            str(Stage(r["project"].stage).label),
            r["completeness"]["documents_archived"],
            r["completeness"]["documents"],
            r["completeness"]["missing"],
            r["latest"].get_result_display() if r["latest"] else "",
            r["latest"].accepted_on if r["latest"] else None,
        ]
        for r in selectors.archive_index_rows(user=user, projects=projects)
    )
    return lists.xlsx_response("archives.xlsx", header, rows)


INBOX_LIMIT = 20


def inbox_items(user: User) -> list[InboxItem]:
    """待办 for an assigned archivist: projects in acceptance whose latest archive acceptance has
    not passed (C7.1 blocks their completion acceptance) — the INBOX_LIMIT longest assigned and a
    line saying how many more (to the 档案 page)."""
    if not user.has_role(Role.ARCHIVIST):
        return []
    todo = selectors.archivist_todo(user=user)
    assigned = list(todo[:INBOX_LIMIT])
    items = [
        InboxItem(
            title=_("Archive acceptance (C7.1: needed before completion acceptance)"),
            url=registry.tab_url(a.project, TAB),
            project=a.project,
            kind="archive_acceptance",
        )
        for a in assigned
    ]
    count = len(assigned) if len(assigned) < INBOX_LIMIT else todo.count()
    title = _("…and %(n)s more archive acceptances to record")
    return items + more_line(count, len(assigned), title, reverse("web:archives"), "archive_more")
