"""Web pages of the notifications app: the message centre (list, mark read, mark all read), the
e-mail choices, 已办 (everything the user did, paged) and NDRC's chase form on a project page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters import FilterSet

from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import lists
from egovpm.core.errors import InvalidInput
from egovpm.core.views import language_of
from egovpm.notifications import policies, selectors, services
from egovpm.notifications.errors import NotificationError
from egovpm.notifications.filters import DoneFilter, MessageFilter
from egovpm.notifications.forms import ChaseForm, PreferencesForm
from egovpm.notifications.models import Message
from egovpm.projects import policies as project_policies
from egovpm.web import errors
from egovpm.web.frame import domain_errors

PAGE_SIZE = 20


# The lists' sortable columns (core/lists.py) and default orders: newest first.
MESSAGE_SORTS: dict[str, tuple[str, ...]] = {"received": ("created_at",), "title": ("title",), "kind": ("kind",)}
MESSAGE_ORDER = ("-created_at", "-id")
DONE_SORTS: dict[str, tuple[str, ...]] = {"date": ("seq",), "action": ("action",)}
DONE_ORDER = ("-seq",)


def _list_page(
    request: AuthenticatedHttpRequest, filters: FilterSet, sorts: dict[str, tuple[str, ...]], order: tuple[str, ...]
) -> tuple[QuerySet[Any], dict[str, Any]]:
    """The filtered, sorted rows (a refused filter value: the 400 page naming the field), and the
    page's filter form, sort links, export link and pager query."""
    rows = lists.filtered(filters)
    sort = lists.sort_param(request.GET.get("sort"), sorts)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filters.form,
        "sort": sort,
        "sorts": lists.sort_links(request, sorts, sort),
        "export_url": lists.export_url(request),
        "page_query": query.urlencode(),
    }
    return lists.sorted_by(rows, sort, sorts, order), context


@login_required
def message_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """消息: the user's messages, newest first (or by a column), 20 a page (unread ones marked),
    filtered by kind, read or not and date; `?export=xlsx` exports the filtered, sorted list."""
    filters = MessageFilter(request.GET, queryset=selectors.messages_of(user=request.user))
    rows, context = _list_page(request, filters, MESSAGE_SORTS, MESSAGE_ORDER)
    if request.GET.get("export") == "xlsx":
        return _messages_xlsx(list(rows[: lists.EXPORT_LIMIT]))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/messages.html", {"page": page, **context})


def _messages_xlsx(rows: list[Message]) -> HttpResponse:
    header = [_("Received"), _("Message"), _("Text"), _("Kind"), _("Sender"), _("Read at")]
    body = (
        [
            _local(m.created_at),
            m.title,
            m.body,
            str(m.get_kind_display()),
            m.sender.label if m.sender else "",
            _local(m.read_at),
        ]
        for m in rows
    )
    return lists.xlsx_response("messages.xlsx", header, body)


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@login_required
@require_POST
@domain_errors
def message_read(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Mark one message read, then go where it points (or back to the list)."""
    message = services.message_read(actor=request.user, message_id=pk)
    if request.POST.get("open") and message.link and url_has_allowed_host_and_scheme(message.link, None):
        return redirect(message.link)
    return redirect("web:messages")


@login_required
@require_POST
def messages_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.messages_read_all(actor=request.user)
    messages.success(request, _("%(n)s messages marked read.") % {"n": count})
    return redirect("web:messages")


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """E-mail on or off for each kind of message."""
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_set(actor=request.user, email={k: bool(v) for k, v in form.cleaned_data.items()})
            messages.success(request, _("Your e-mail choices are saved."))
            return redirect("web:notification_preferences")
    else:
        form = PreferencesForm(initial=selectors.email_choices(user=request.user))
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def done(request: AuthenticatedHttpRequest) -> HttpResponse:
    """已办: everything the user did, newest first (or by a column), 20 a page, filtered by action
    and date; `?export=xlsx` exports the filtered, sorted list."""
    user = request.user
    filters = DoneFilter(request.GET, queryset=selectors.done_of(user=user))
    events, context = _list_page(request, filters, DONE_SORTS, DONE_ORDER)
    if request.GET.get("export") == "xlsx":
        return _done_xlsx(selectors.done_rows(list(events[: lists.EXPORT_LIMIT]), user=user))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.done_rows(list(page.object_list), user=user)
    return render(request, "notifications/done.html", {"page": page, "rows": rows, **context})


def _done_xlsx(rows: list[dict[str, Any]]) -> HttpResponse:
    """已办 as XLSX: what the page shows (a project the user may no longer see stays unnamed)."""
    header = [_("Date"), _("Project"), _("Action"), _("Record")]
    body = (
        [
            _local(r["event"].at),
            r["project"].name if r["project"] else r.get("hidden", ""),
            str(r["event"].action_label),
            r["record"],
        ]
        for r in rows
    )
    return lists.xlsx_response("done.xlsx", header, body)


@login_required
@domain_errors
def chase(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """催办 a project (NDRC): the form (GET) and sending it (POST)."""
    project = project_policies.project_for(request.user, pk)
    project_policies.require(policies.may_chase(request.user), NotificationError.CHASE_NDRC_ONLY)
    people = list(selectors.project_people(project).select_related("department").order_by("username"))
    form = ChaseForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = services.chase(
                    actor=request.user,
                    project_id=project.pk,
                    to=form.cleaned_data["to"],
                    text=form.cleaned_data["text"],
                )
            except InvalidInput as error:
                errors.attach(form, error, language_of(request))
                status = 400
            else:
                messages.success(request, _("Chase sent to %(n)s people.") % {"n": len(sent)})
                return redirect("web:project_detail", pk=project.pk)
        else:
            status = 400
    return render(request, "notifications/chase.html", {"project": project, "form": form}, status=status)
