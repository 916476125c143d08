"""Web pages of the procurement app: the project tab 采购 (the register with its totals, add /
correct / remove by the lead department until completion acceptance, the XLSX import with every
row's errors, the template, the 自主可控 shares as a table and a chart, the delivery modes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import lists
from egovpm.core.errors import DomainError, InvalidInput
from egovpm.core.views import language_of
from egovpm.documents.choices import Category as DocumentCategory
from egovpm.documents.models import Document
from egovpm.procurement import policies, selectors, services, xlsx
from egovpm.procurement.errors import ProcurementError
from egovpm.procurement.filters import ProcurementFilter
from egovpm.procurement.forms import DeliveryModesForm, ImportForm, ProcurementForm
from egovpm.procurement.models import Procurement
from egovpm.procurement.templatetags.procurement_ui import procurement_category, procurement_method
from egovpm.projects import policies as project_policies
from egovpm.projects import selectors as project_selectors
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab

TAB = "procurement"
RULES = ("C5.1", "C5.2", "C11.1")


def _evidence_choices(project: Any) -> list[tuple[str, str]]:
    docs = Document.objects.filter(project=project, category=DocumentCategory.SECURE_CONTROLLABLE_EVIDENCE)
    return [(str(pk), title) for pk, title in docs.order_by("title").values_list("pk", "title")]


def _modes_form(project: Any) -> DeliveryModesForm:
    initial: dict[str, Any] = {}
    for m in selectors.delivery_modes(project=project):
        initial.update(
            {
                f"{m.mode}_on": True,
                f"{m.mode}_provider": m.provider,
                f"{m.mode}_scope": m.scope,
                f"{m.mode}_contract_reference": m.contract_reference,
            }
        )
    return DeliveryModesForm(initial=initial)


def completion_part(project: Any) -> dict[str, Any]:
    """The archives tab's part beside the completion acceptance (archives.views.COMPLETION_PARTS):
    the project's 自主可控 shares, which NDRC checks at acceptance (clause 5); one query."""
    return {
        "template": "procurement/completion_part.html",
        "shares": selectors.project_shares(project=project),
        "url": registry.tab_url(project, TAB),
    }


def tab_context(request: AuthenticatedHttpRequest, project: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tab's content; `bound` holds a refused POST's form or errors, shown on the tab."""
    user = request.user
    bound = bound or {}
    report = project_selectors.project_compliance(project=project, language=language_of(request))
    may_write = policies.may_write(user, project)
    frozen = policies.is_frozen(project)
    totals, shares = selectors.project_figures(project=project)
    context: dict[str, Any] = {
        **_register(request, project),
        "totals": totals,
        "shares": shares,
        "modes": selectors.delivery_modes(project=project),
        "procurement_results": [r for r in report["results"] if r.rule in RULES],
        "may_write": may_write,
        "frozen": frozen,
        "import_rows": bound.get("import_rows"),
        "import_error": bound.get("import_error"),
        "editing": bound.get("editing"),
    }
    if may_write:
        context["modes_form"] = bound.get("modes_form") or _modes_form(project)
        if not frozen:
            choices = _evidence_choices(project)
            context["form"] = bound.get("form") or ProcurementForm(evidence_choices=choices)
            context["import_form"] = ImportForm()
    return context


# The register's sortable columns (core/lists.py, ADR 0018) and its default order (by contract).
REGISTER_SORTS: dict[str, tuple[str, ...]] = {
    "subject": ("subject",),
    "category": ("category",),
    "method": ("method",),
    "amount": ("amount",),
    "supplier": ("supplier",),
    "contract": ("contract_date",),
    "secure": ("secure_controllable",),
}
REGISTER_ORDER = ("contract_date", "created_at")


def register_rows(request: AuthenticatedHttpRequest, project: Any) -> tuple[Any, ProcurementFilter, str]:
    """The register as the tab shows it: filtered by category (a refused value: a 400 naming it)
    and sorted by a header; the XLSX export reads the same rows."""
    filters = ProcurementFilter(request.GET, queryset=selectors.procurement_list(project=project))
    sort = lists.sort_param(request.GET.get("sort"), REGISTER_SORTS)
    return lists.sorted_by(lists.filtered(filters), sort, REGISTER_SORTS, REGISTER_ORDER), filters, sort


def _register(request: AuthenticatedHttpRequest, project: Any) -> dict[str, Any]:
    rows, filters, sort = register_rows(request, project)
    return {
        "procurements": list(rows),
        "register_filter": filters.form,
        "register_sort": sort,
        "sorts": lists.sort_links(request, REGISTER_SORTS, sort),
        "export_url": lists.export_url(request) + "#procurements",
    }


def _register_export(request: AuthenticatedHttpRequest, project: Any) -> HttpResponse:
    """The register as XLSX: the rows the tab shows, in its filter and sort (text never a formula)."""
    rows, _filters, _sort = register_rows(request, project)
    header = [
        _("Subject"),
        _("Sub-project"),
        _("Category"),
        _("Method"),
        _("Amount (yuan)"),
        _("Supplier"),
        _("Unified social credit code"),
        _("Contract number"),
        _("Contract date"),
        _("Secure and controllable"),
        _("Basis"),
    ]
    cells = (
        [
            p.subject,
            p.estimate_line,
            procurement_category(p.category),
            procurement_method(p.method),
            p.amount,
            p.supplier,
            p.supplier_credit_code,
            p.contract_no,
            p.contract_date,
            _("yes") if p.secure_controllable else _("no"),
            p.secure_controllable_basis,
        ]
        for p in rows[: lists.EXPORT_LIMIT]
    )
    return lists.xlsx_response(f"procurement-{project.code}.xlsx", header, cells)


def _back(project: Any) -> HttpResponse:
    return redirect(registry.tab_url(project, TAB))


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 采购; `?edit=<id>` opens a procurement's correction form."""
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    if request.GET.get("export") == "xlsx":
        return _register_export(request, project)
    bound: dict[str, Any] = {}
    edit = request.GET.get("edit")
    if edit and policies.may_write(request.user, project) and not policies.is_frozen(project):
        p = Procurement.objects.filter(project=project, pk=edit).first() if _is_uuid(edit) else None
        if p is not None:
            initial = services.as_record(p)
            initial["evidence"] = initial["evidence"] or ""
            bound["form"] = ProcurementForm(initial=initial, evidence_choices=_evidence_choices(project))
            bound["editing"] = p
    return render_tab(request, project, TAB, tab_context(request, project, bound))


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _save(request: AuthenticatedHttpRequest, pk: Any, procurement_id: Any = None) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = ProcurementForm(request.POST, evidence_choices=_evidence_choices(project))
    status = 400
    editing = Procurement.objects.filter(project=project, pk=procurement_id).first() if procurement_id else None
    if form.is_valid():
        try:
            if procurement_id is None:
                services.procurement_create(actor=user, project_id=project.pk, data=form.data_for_service())
            else:
                services.procurement_update(actor=user, procurement_id=procurement_id, data=form.data_for_service())
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("The procurement was saved."))
            return _back(project)
    content = tab_context(request, project, {"form": form, "editing": editing})
    return render_tab(request, project, TAB, content, status=status)


@login_required
@require_POST
@domain_errors
def add(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    return _save(request, pk)


@login_required
@require_POST
@domain_errors
def edit(request: AuthenticatedHttpRequest, pk: Any, item_id: Any) -> HttpResponse:
    return _save(request, pk, item_id)


@login_required
@require_POST
@domain_errors
def delete(request: AuthenticatedHttpRequest, pk: Any, item_id: Any) -> HttpResponse:
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    if not Procurement.objects.filter(project=project, pk=item_id).exists():
        return _back(project)
    try:
        services.procurement_delete(actor=request.user, procurement_id=item_id)
    except DomainError as e:
        if e.status in (403, 404):
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, _("The procurement was removed."))
    return _back(project)


@login_required
@require_POST
@domain_errors
def import_file(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """XLSX import: all rows or none; the refused rows are listed on the tab with every error."""
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    # the role before the file is read, as the API does (reading a workbook costs CPU)
    project_policies.require(policies.may_write(user, project), ProcurementError.LEAD_ONLY)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_tab(
            request,
            project,
            TAB,
            tab_context(request, project, {"import_error": _("Choose an XLSX file.")}),
            status=400,
        )
    try:
        rows = xlsx.read_procurements(form.cleaned_data["file"])
        created = services.procurement_import(actor=user, project_id=project.pk, rows=rows)
    except InvalidInput as e:
        details = e.details or {}
        bound = {"import_rows": details.get("rows"), "import_error": details.get("file") or e.message}
        return render_tab(request, project, TAB, tab_context(request, project, bound), status=400)
    except DomainError as e:
        if e.status in (403, 404):
            raise
        return render_tab(
            request, project, TAB, tab_context(request, project, {"import_error": e.message}), status=e.status
        )
    messages.success(request, _("%(n)s procurements were imported.") % {"n": created})
    return _back(project)


@login_required
@domain_errors
def template_download(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    project_policies.project_for(request.user, pk)  # the project's file: not an assigned expert's
    response = HttpResponse(
        xlsx.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="procurement-template.xlsx"'
    return response


@login_required
@require_POST
@domain_errors
def modes_set(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_selectors.project_detail(user=user, project_id=pk)
    form = DeliveryModesForm(request.POST)
    if form.is_valid():
        try:
            services.delivery_modes_set(actor=user, project_id=project.pk, modes=form.modes())
        except DomainError as e:
            if e.status in (403, 404):
                raise
            messages.error(request, e.message + " " + "; ".join(f"{k}: {v}" for k, v in (e.details or {}).items()))
            return render_tab(
                request, project, TAB, tab_context(request, project, {"modes_form": form}), status=e.status
            )
        messages.success(request, _("The delivery modes were saved."))
    return _back(project)
