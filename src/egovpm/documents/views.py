"""The project tab 文档 (documents): the list of the project's documents and the upload form.
Thin: the upload goes through documents.services (scope, role, size, audit)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core.errors import DomainError
from egovpm.core.views import language_of
from egovpm.documents import selectors, services
from egovpm.documents.forms import DocumentForm, WithdrawForm
from egovpm.projects import policies as project_policies
from egovpm.projects import selectors as project_selectors
from egovpm.projects.models import Project
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab

TAB = "documents"


def _content(
    request: AuthenticatedHttpRequest,
    project: Project,
    form: DocumentForm | None = None,
    withdraw: tuple[Any, WithdrawForm] | None = None,
) -> dict[str, Any]:
    user = request.user
    documents = list(selectors.project_documents(user=user, project=project))  # reached by project_detail
    content: dict[str, Any] = {
        "documents": documents,
        # the documents this user may withdraw (撤回): not archived, uploaded by the user's department
        "withdrawable": selectors.withdrawable_ids(user, documents),
        "withdraw_form": WithdrawForm(),
        "withdraw_failed": withdraw[0] if withdraw else None,
        "withdraw_bound": withdraw[1] if withdraw else None,
    }
    if project_policies.may_add_documents(user, project):
        content["document_form"] = form or DocumentForm(initial={"stage": project.stage})
    return content


@login_required
@domain_errors
def documents(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """GET: the project's documents; POST: upload one (the form re-displayed on refusal)."""
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    if request.method != "POST":
        return render_tab(request, project, TAB, _content(request, project))
    form = DocumentForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_upload(
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
            return redirect(registry.tab_url(project, TAB))
    return render_tab(request, project, TAB, _content(request, project, form), status=status)


@login_required
@require_POST
@domain_errors
def withdraw(request: AuthenticatedHttpRequest, pk: Any, document_id: Any) -> HttpResponse:
    """撤回 a document (its uploader's department, not archived yet): the reason is required; a
    refusal re-displays the tab with the form open under that document and the error's status."""
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = WithdrawForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            document = services.document_withdraw(
                actor=user,
                document_id=str(document_id),
                reason=form.cleaned_data["reason"],
                project_id=project.pk,
            )
        except DomainError as e:
            if e.status in (403, 404):
                raise
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(
                request,
                _("Document “%(title)s” (version %(version)s) was withdrawn; it stays in the audit trail.")
                % {"title": document.title, "version": document.version},
            )
            return redirect(registry.tab_url(project, TAB))
    content = _content(request, project, withdraw=(str(document_id), form))
    return render_tab(request, project, TAB, content, status=status)
