"""The budgets pages: the project tab 概算与调整 (estimate, adjustments with a live route preview,
decisions, filing, spending, baseline history) and the 概算调整 queue page. Views are thin: every
write goes through a service, which checks scope and role and audits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.budgets import policies, selectors, services
from egovpm.budgets.choices import ADJUSTABLE_STAGES, ESTIMATE_EDITABLE_STAGES, AdjustmentStatus, Route
from egovpm.budgets.errors import BudgetError
from egovpm.budgets.filters import AdjustmentFilter
from egovpm.budgets.forms import AdjustmentForm, DecideForm, EstimateForm, ExpenditureForm, FileForm, ImportForm
from egovpm.budgets.models import Adjustment
from egovpm.budgets.xlsx import read_expenditures, template_bytes
from egovpm.core import clock, lists
from egovpm.core.bounded import bounded
from egovpm.core.errors import DomainError, Forbidden, NotFound
from egovpm.core.errors import render as render_error
from egovpm.core.percent import percent_rounded
from egovpm.documents.choices import Category
from egovpm.documents.models import Document
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project
from egovpm.projects.selectors import project_detail
from egovpm.web import registry
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import kept_under_records, render_kept_page
from egovpm.web.registry import InboxItem, more_line

TAB = "budgets"


def tab_url(project: Any) -> str:
    return registry.tab_url(project, TAB)


# ------------------------------------------------------------------ words for refusals


def error_lines(error: DomainError) -> list[str]:
    """A service's refusal in the user's language, rendered from its codes (core/errors.py): the
    refusal itself, then each field's problem under the field's label."""
    if error.reason == BudgetError.REROUTED:  # the failed conditions by their labels
        from egovpm.budgets.templatetags.budgets_ui import failure_label

        failed = "、".join(failure_label(c) for c in error.data.get("failed", []))
        return [render_error(BudgetError.REROUTED, {"failed": failed})]
    lines = [error.message]
    details = error.details if isinstance(error.details, dict) else {}
    if error.status == 400:
        lines += [f"{_field_name(f)}：{details[f]}" for f in error.fields if f != "rows" and f in details]
    return lines


def _field_name(field: str) -> str:
    names = {
        "total": _("Total estimate"),
        "items": _("Sub-projects"),
        "description": _("Description and justification"),
        "reason": _("Reason"),
        "filed_on": _("Filing date"),
        "document": _("Adjustment approval document"),
        "report_document": _("Adjustment report (document)"),
        "line": _("Sub-project"),
        "amount": _("Amount"),
        "spent_on": _("Date"),
        "voucher": _("Voucher number"),
        "file": _("XLSX file"),
    }
    if field.startswith("items["):
        index, _sep, part = field[6:].partition("].")
        return _("Row %(row)s (%(field)s)") % {"row": int(index) + 1, "field": names.get(part, part)}
    return names.get(field, field)


def _refused(request: AuthenticatedHttpRequest, error: DomainError) -> None:
    if isinstance(error, NotFound | Forbidden):
        raise error
    for line in error_lines(error):
        messages.error(request, line)


# ------------------------------------------------------------------ the project tab


def _documents(project: Project, category: str) -> list[tuple[str, str]]:
    return [
        (str(d.pk), f"{d.title}（v{d.version}）")
        for d in Document.objects.filter(project=project, category=category).order_by("-uploaded_at")
    ]


def _estimate_part(user: User, project: Project, bound: dict[str, Any]) -> dict[str, Any]:
    state = selectors.estimate_state(project=project)
    approved = state is not None and state.baseline is not None
    limit = services.routing_params(project).limit_percent
    part: dict[str, Any] = {
        "state": state,
        "approved": approved,
        "execution": selectors.budget_execution(project=project, state=state),
        "limit_percent": limit,
        "lines_sum": sum((li.current_amount for li in state.lines), Decimal(0)) if state else Decimal(0),
    }
    if state is None:
        return part
    if approved:
        from egovpm.rules.facts_budgets import exact_ratio

        part["cumulative_ratio"] = exact_ratio(state.cumulative_moved, state.total)
        part["headroom"] = max(state.total * limit / 100 - state.cumulative_moved, Decimal(0))
        part["cumulative_width"] = min(state.cumulative_moved * 100 / (state.total * limit / 100), Decimal(100))
    elif policies.may_edit_estimate(user, project) and project.stage in ESTIMATE_EDITABLE_STAGES:
        lines = [(li.code, li.name, li.current_amount) for li in state.lines]
        part["estimate_form"] = bound.get("estimate") or EstimateForm(
            lines=lines, initial={"total": f"{state.total:.2f}"}
        )
    return part


def _new_estimate_form(user: User, project: Project, bound: dict[str, Any]) -> dict[str, Any]:
    """The estimate form of a project that has none yet (state is None)."""
    if policies.may_edit_estimate(user, project) and project.stage in ESTIMATE_EDITABLE_STAGES:
        return {"estimate_form": bound.get("estimate") or EstimateForm(lines=[], initial={"total": ""})}
    return {}


def _adjustment_row(
    user: User, project: Project, a: Adjustment, approvals: Callable[[], list[tuple[str, str]]]
) -> dict[str, Any]:
    """`approvals`: the project's approval documents (the filing form's choices), asked only when
    the user files this adjustment."""
    pending = a.status == AdjustmentStatus.PENDING
    fileable = a.status == AdjustmentStatus.APPROVED and a.route == Route.SELF_APPROVAL and a.filed_on is None
    may_file = fileable and policies.may_file(user, project)
    return {
        "a": a,
        "may_decide": pending and project.stage in ADJUSTABLE_STAGES and policies.may_decide(user, project, a.route),
        "may_withdraw": pending and policies.may_withdraw(user, project),
        "file_form": FileForm(documents=approvals(), initial={"filed_on": clock.today()}) if may_file else None,
        "unfiled": fileable,
        "may_acknowledge": a.filed_on is not None and a.acknowledged_at is None and policies.may_acknowledge(user),
    }


def _approved_forms(user: User, project: Project, state: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """The forms of a project whose estimate is a baseline: adjustment request and spending."""
    current = [(li.code, li.name, li.current_amount) for li in state.lines]
    forms: dict[str, Any] = {}
    if policies.may_request(user, project) and project.stage in ADJUSTABLE_STAGES:
        forms["adjustment_form"] = bound.get("adjustment") or AdjustmentForm(
            lines=current, reports=_documents(project, Category.ADJUSTMENT_REPORT)
        )
    if policies.may_record_spending(user, project):
        forms["expenditure_form"] = bound.get("expenditure") or ExpenditureForm(
            lines=[(c, n) for c, n, _a in current], initial={"spent_on": clock.today()}
        )
        forms["import_form"] = bound.get("import") or ImportForm()
        forms["import_errors"] = bound.get("import_errors")
    return forms


def tab_context(
    request: AuthenticatedHttpRequest, project: Project, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The tab's content; `bound` holds the forms of a refused POST (keys estimate, adjustment,
    expenditure, import, import_errors), shown instead of fresh ones."""
    user = request.user
    bound = bound or {}
    context = _estimate_part(user, project, bound)
    if context["state"] is None:
        context.update(_new_estimate_form(user, project, bound))
    elif context["approved"]:
        context.update(_approved_forms(user, project, context["state"], bound))
    approvals = functools.cache(lambda: _documents(project, Category.ADJUSTMENT_APPROVAL))
    context["adjustments"] = [
        _adjustment_row(user, project, a, approvals) for a in selectors.adjustment_list(project=project)
    ]
    context["decide_form"] = DecideForm()
    context["baselines"] = list(selectors.baselines(project=project))
    context["expenditures"] = list(selectors.expenditure_list(project=project)[:20])
    context["today"] = clock.today()
    return context


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 概算与调整."""
    project = project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, TAB, tab_context(request, project))


def _rerender(request: AuthenticatedHttpRequest, project: Project, status: int, **forms: Any) -> HttpResponse:
    return render_tab(request, project, TAB, tab_context(request, project, forms), status=status)


# ------------------------------------------------------------------ estimate


@login_required
@require_POST
@domain_errors
def estimate_save(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    project = project_detail(user=request.user, project_id=pk)
    state = selectors.estimate_state(project=project)
    lines = [(li.code, li.name, li.current_amount) for li in state.lines] if state else []
    form = EstimateForm(request.POST, lines=lines)
    if form.is_valid():
        try:
            services.estimate_put(
                actor=request.user,
                project_id=project.pk,
                total=form.cleaned_data["total"],
                items=form.cleaned_data["items"],
            )
        except DomainError as e:
            _refused(request, e)
            return _rerender(request, project, e.status, estimate=form)
        messages.success(request, _("The estimate was saved."))
        return redirect(tab_url(project))
    return _rerender(request, project, 400, estimate=form)


# ------------------------------------------------------------------ adjustments


def _adjustment_form(request: AuthenticatedHttpRequest, project: Project) -> AdjustmentForm:
    state = selectors.estimate_state(project=project)
    lines = [(li.code, li.name, li.current_amount) for li in state.lines] if state else []
    return AdjustmentForm(request.POST, lines=lines, reports=_documents(project, Category.ADJUSTMENT_REPORT))


@login_required
@require_POST
@domain_errors
def adjustment_preview(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The live preview (htmx): route, moved, ratios and every failing condition while typing."""
    project = project_detail(user=request.user, project_id=pk)
    form = _adjustment_form(request, project)
    context: dict[str, Any] = {"project": project}
    if form.is_valid() and form.cleaned_data["items"]:
        try:
            proposal = services.adjustment_preview(
                actor=request.user,
                project_id=project.pk,
                items=form.cleaned_data["items"],
                goals_unchanged=form.cleaned_data["goals_unchanged"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as e:
            if isinstance(e, NotFound | Forbidden):
                raise
            context["problems"] = error_lines(e)
        else:
            context["result"] = proposal.result
            context["limit_percent"] = services.routing_params(project).limit_percent
    elif form.is_bound and not form.is_valid():
        context["problems"] = [
            f"{form.fields[f].label}：{'；'.join(str(e) for e in errs)}" for f, errs in form.errors.items()
        ]
    return render(request, "budgets/_preview.html", context)


@login_required
@require_POST
@domain_errors
def adjustment_create(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    project = project_detail(user=request.user, project_id=pk)
    form = _adjustment_form(request, project)
    if form.is_valid():
        d = form.cleaned_data
        try:
            adjustment = services.adjustment_create(
                actor=request.user,
                project_id=project.pk,
                items=d["items"],
                goals_unchanged=d["goals_unchanged"],
                reason=d["reason"],
                description=d["description"] or "",
                changes_main_content=d["changes_main_content"],
                report_document=d.get("report_document") or None,
            )
        except DomainError as e:
            _refused(request, e)
            return _rerender(request, project, e.status, adjustment=form)
        from egovpm.budgets.templatetags.budgets_ui import route_label

        messages.success(
            request,
            _("Adjustment request no. %(number)s was made; it is routed to %(route)s.")
            % {"number": adjustment.number, "route": route_label(adjustment.route)},
        )
        return redirect(tab_url(project))
    return _rerender(request, project, 400, adjustment=form)


def _adjustment(request: AuthenticatedHttpRequest, adjustment_id: Any) -> Adjustment:
    return selectors.adjustment_for(user=request.user, adjustment_id=adjustment_id)


@login_required
@require_POST
@domain_errors
def adjustment_decide(request: AuthenticatedHttpRequest, adjustment_id: Any) -> HttpResponse:
    adjustment = _adjustment(request, adjustment_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect(tab_url(adjustment.project))
    try:
        services.adjustment_decide(
            actor=request.user,
            adjustment_id=adjustment.pk,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data.get("comment") or "",
            approval_reference=form.cleaned_data.get("approval_reference") or "",
        )
    except DomainError as e:
        _refused(request, e)
    else:
        if form.cleaned_data["decision"] == "approve":
            messages.success(request, _("Adjustment no. %(number)s was approved.") % {"number": adjustment.number})
        else:
            messages.success(request, _("Adjustment no. %(number)s was rejected.") % {"number": adjustment.number})
    return redirect(tab_url(adjustment.project))


@login_required
@require_POST
@domain_errors
def adjustment_withdraw(request: AuthenticatedHttpRequest, adjustment_id: Any) -> HttpResponse:
    adjustment = _adjustment(request, adjustment_id)
    try:
        services.adjustment_withdraw(actor=request.user, adjustment_id=adjustment.pk)
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, _("Adjustment no. %(number)s was withdrawn.") % {"number": adjustment.number})
    return redirect(tab_url(adjustment.project))


@login_required
@require_POST
@domain_errors
def adjustment_file(request: AuthenticatedHttpRequest, adjustment_id: Any) -> HttpResponse:
    adjustment = _adjustment(request, adjustment_id)
    form = FileForm(request.POST, documents=_documents(adjustment.project, Category.ADJUSTMENT_APPROVAL))
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(str(e) for e in errs)}")
        return redirect(tab_url(adjustment.project))
    try:
        services.adjustment_file(
            actor=request.user,
            adjustment_id=adjustment.pk,
            filed_on=form.cleaned_data["filed_on"],
            document_id=form.cleaned_data["document"],
            reference=form.cleaned_data.get("reference") or "",
        )
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, _("Adjustment no. %(number)s was filed with NDRC.") % {"number": adjustment.number})
    return redirect(tab_url(adjustment.project))


@login_required
@require_POST
@domain_errors
def adjustment_acknowledge(request: AuthenticatedHttpRequest, adjustment_id: Any) -> HttpResponse:
    adjustment = _adjustment(request, adjustment_id)
    try:
        services.adjustment_acknowledge(actor=request.user, adjustment_id=adjustment.pk)
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, _("The filing was acknowledged."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = tab_url(adjustment.project)
    return redirect(target)


# ------------------------------------------------------------------ spending


@login_required
@require_POST
@domain_errors
def expenditure_add(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    project = project_detail(user=request.user, project_id=pk)
    state = selectors.estimate_state(project=project)
    form = ExpenditureForm(request.POST, lines=[(li.code, li.name) for li in state.lines] if state else [])
    if form.is_valid():
        try:
            services.expenditure_add(actor=request.user, project_id=project.pk, row=form.row())
        except DomainError as e:
            _refused(request, e)
            return _rerender(request, project, e.status, expenditure=form)
        messages.success(request, _("The expenditure was recorded."))
        return redirect(tab_url(project))
    return _rerender(request, project, 400, expenditure=form)


@login_required
@require_POST
@domain_errors
def expenditure_import(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    project = project_detail(user=request.user, project_id=pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            created = services.expenditure_import(
                actor=request.user,
                project_id=project.pk,
                rows=read_expenditures(form.cleaned_data["file"]),
            )
        except DomainError as e:
            if isinstance(e, NotFound | Forbidden):
                raise
            rows = e.details.get("rows") if isinstance(e.details, dict) else None
            report = (
                [{"row": r["row"], "errors": [(_field_name(f), t) for f, t in r["errors"].items()]} for r in rows]
                if rows
                else None
            )
            _refused(request, e)
            return _rerender(request, project, e.status, **{"import": form, "import_errors": report})
        messages.success(request, _("%(count)s expenditures were imported.") % {"count": len(created)})
        return redirect(tab_url(project))
    return _rerender(request, project, 400, **{"import": form})


@login_required
@domain_errors
def import_template(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    # The template lists the estimate's sub-projects: a read of the file, so the read scope ("view")
    # like GET /estimate — not the summary an assigned expert reads (404 for them).
    project = project_policies.project_for(request.user, pk)
    state = selectors.estimate_state(project=project)
    data = template_bytes([(li.code, li.name) for li in state.lines] if state else [])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="spending-{project.code}.xlsx"'
    return response


# ------------------------------------------------------------------ 概算调整 page (navigation)


def may_see_queue(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER, Role.DEPT_STAFF, Role.DEPT_LEADER))


QUEUE_PAGE_SIZE = 20  # rows a section shows, as on the project list: a national queue holds thousands
INBOX_LIMIT = 20


# The queue's sortable columns (`?sort=key` or `-key`, core/lists.py): the date column is the
# section's own date (requested for pending requests, decided for filings).
QUEUE_SORTS: dict[str, tuple[str, ...]] = {
    "project": ("project__name",),
    "department": ("project__lead_department__name",),
    "number": ("number",),
    "moved": ("moved",),
}


def _queue_columns(key: str) -> dict[str, tuple[str, ...]]:
    return {**QUEUE_SORTS, "date": (selectors.QUEUE_ORDER[key][0],)}


def _sorted_queues(request: AuthenticatedHttpRequest, queues: dict[str, Any]) -> dict[str, Any]:
    value = request.GET.get("sort")
    return {
        key: lists.sorted_by(qs, value, _queue_columns(key), selectors.QUEUE_ORDER[key]) for key, qs in queues.items()
    }


def _queue_export(key: str, qs: Any) -> HttpResponse:
    """One section of the queue as XLSX: the same filtered, scoped, sorted rows (EXPORT_LIMIT)."""
    decided = key in ("unfiled", "unacknowledged")
    header = [
        _("Project"),
        _("Project code"),
        _("Department"),
        _("No."),
        _("Approved") if decided else _("Requested"),
        _("Moved (yuan)"),
        _("Ratio"),
        _("Cumulative ratio"),
    ]
    rows = (
        [
            a.project.name,
            a.project.code,
            a.project.lead_department.name,
            a.number,
            a.decided_on if decided else a.requested_at.astimezone(clock.BEIJING).date(),
            a.moved,
            percent_rounded(a.ratio),  # as on the screen: rounded up, 15.000001 % reads 15.01 %
            percent_rounded(a.cumulative_ratio),
        ]
        for a in qs[: lists.EXPORT_LIMIT]
    )
    return lists.xlsx_response(f"budget-adjustments-{key}.xlsx", header, rows)


def _section(request: AuthenticatedHttpRequest, key: str, qs: Any) -> dict[str, Any]:
    """One list of the queue page, paged on its own (`<key>_page`), with its pager's links."""
    param = f"{key}_page"
    page = _page(qs, request.GET.get(param))
    links: dict[str, str] = {}
    for name, has, number in (
        ("previous_url", page.has_previous, page.number - 1),
        ("next_url", page.has_next, page.number + 1),
    ):
        if has():
            query = request.GET.copy()
            query[param] = str(number)
            links[name] = f"?{query.urlencode()}#q-{key}"
    sort = lists.sort_param(request.GET.get("sort"), _queue_columns(key))
    return {
        "rows": list(page.object_list),
        "page": page,
        "key": key,
        "sorts": lists.sort_links(request, _queue_columns(key), sort),
        "export_url": lists.export_url(request, section=key),
        **links,
    }


def _page(qs: Any, requested: Any) -> Page:
    """Paginator(qs, QUEUE_PAGE_SIZE).get_page(requested) in one query (core.bounded: the page's
    rows and the count of all rows beside them) rather than a COUNT, then the rows; a number that is
    not a page of the list (past the end, below 1) is answered by Paginator itself (the last page)."""
    paginator = Paginator(qs, QUEUE_PAGE_SIZE)
    try:
        number = int(requested or 1)
    except (TypeError, ValueError):
        number = 1  # as get_page: not a number, the first page
    if number >= 1:
        rows, count = bounded(qs, QUEUE_PAGE_SIZE, (number - 1) * QUEUE_PAGE_SIZE)
        if rows or number == 1:
            paginator.__dict__["count"] = count  # Paginator.count is a cached_property: known already
            return Page(rows, number, paginator)
    return paginator.get_page(requested)


@login_required
@domain_errors
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """NDRC: NDRC-route requests waiting for a decision and self-approvals not filed (or filed and
    not acknowledged) across departments. A department: its own pending requests and filings. Each
    list is paged (the oldest first) under an exact count."""
    user = request.user
    if not may_see_queue(user):
        raise Forbidden(BudgetError.NO_QUEUE)
    # The adjustments' FilterSet, the same as the API list's: a value it refuses is a 400.
    params = AdjustmentFilter(request.GET, queryset=Adjustment.objects.none())
    if not params.is_valid():
        raise BadRequest("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in params.errors.items()))
    chosen = {k: v for k, v in params.form.cleaned_data.items() if v}
    queues = _sorted_queues(request, selectors.ndrc_queue(user=user, params=chosen))
    is_ndrc = user.has_role(Role.NDRC_OFFICER)
    if is_ndrc:  # NDRC does not decide self-approvals: that section is not shown
        del queues["self_pending"]
    if request.GET.get("export") == "xlsx":
        section = request.GET.get("section", "")
        if section not in queues:
            raise BadRequest(f"section: {section}")
        return _queue_export(section, queues[section])

    def context() -> dict[str, Any]:
        return {
            "lists": {key: _section(request, key, qs) for key, qs in queues.items()},
            "is_ndrc": is_ndrc,
            "today": clock.today(),
            "route": chosen.get("route", ""),
            "department": chosen.get("department", ""),
            "routes": Route.choices,
            "departments": Department.objects.order_by("kind", "code"),
        }

    # rendered once and kept for this user and address under the records' stamp (ADR 0020; the rows'
    # acknowledge forms get each response's own CSRF token)
    return render_kept_page(request, "budgets/queue.html", "budgets/queue_body.html", context)


def _more(count: int, shown: int, title: str) -> list[InboxItem]:
    """The "and N more" line of a bounded 待办 list, linking to the 概算调整 page."""
    return more_line(count, shown, title, reverse("web:budgets_queue"), "adjustment_more")


def inbox_items(user: User) -> list[Any]:
    """待办: decisions waiting for this user, self-approvals to file, filings to acknowledge — the
    INBOX_LIMIT oldest of each and a line saying how many more (to the 概算调整 page)."""
    if not getattr(user, "is_authenticated", False) or not may_see_queue(user):
        return []
    kinds = (
        ("decide", "adjustment_decision", _("…and %(n)s more adjustment requests to decide")),
        ("file", "adjustment_filing", _("…and %(n)s more self-approved adjustments to file with NDRC")),
        ("acknowledge", "adjustment_acknowledgement", _("…and %(n)s more adjustment filings to acknowledge")),
    )
    # the oldest of each queue and how many, kept while no record changes (web.inbox.kept_under_records)
    firsts = kept_under_records(f"budgets.inbox:user{user.pk}", lambda: _queue_heads(user))
    items: list[InboxItem] = []
    for key, kind, more in kinds:
        rows, count = firsts[key]
        for a in rows:
            items.append(InboxItem(title=_inbox_title(kind, a), url=tab_url(a.project), project=a.project, kind=kind))
        items += _more(count, len(rows), more)
    return items


def _queue_heads(user: User) -> dict[str, tuple[list[Adjustment], int]]:
    return {key: bounded(qs, INBOX_LIMIT) for key, qs in selectors.inbox_queues(user=user).items()}


def _inbox_title(kind: str, a: Adjustment) -> str:
    if kind == "adjustment_decision":
        return _("Decide adjustment request no. %(number)s (%(route)s)") % {
            "number": a.number,
            "route": Route(a.route).label,
        }
    if kind == "adjustment_filing":
        return _("File self-approved adjustment no. %(number)s with NDRC") % {"number": a.number}
    return _("Acknowledge the filing of adjustment no. %(number)s") % {"number": a.number}
