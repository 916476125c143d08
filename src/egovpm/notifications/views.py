"""Web pages of the notifications app: the message centre (list, mark read, mark all read), the
e-mail choices, 已办 (everything the user did, paged) and NDRC's chase form on a project page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core.errors import InvalidInput
from egovpm.core.views import language_of
from egovpm.notifications import policies, selectors, services
from egovpm.notifications.errors import NotificationError
from egovpm.notifications.forms import ChaseForm, PreferencesForm
from egovpm.projects import policies as project_policies
from egovpm.web import errors
from egovpm.web.frame import domain_errors

PAGE_SIZE = 20


@login_required
def message_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """消息: the user's messages, newest first, 20 a page (unread ones marked)."""
    page = Paginator(selectors.messages_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/messages.html", {"page": page})


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
    """已办: everything the user did, newest first, 20 a page."""
    page = Paginator(selectors.done_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "notifications/done.html", {"page": page, "rows": selectors.done_rows(list(page.object_list))}
    )


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
