"""Web pages of progress reports: the project tab, one report (edit, submit, return, acknowledge),
the recipients' portfolio with drill-down and XLSX export, and the department's own obligations.
Thin: reads through selectors, writes through services; out of scope → 404 as in the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock, lists
from egovpm.core.errors import DomainError
from egovpm.core.percent import percent_exact
from egovpm.core.validators import DATE_MESSAGE, StrictDateFormField, TextFormField
from egovpm.core.views import language_of
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project
from egovpm.projects.selectors import project_detail
from egovpm.reports import api, filters, policies, rendering, selectors, services
from egovpm.reports.choices import SECTION_KEYS, STATUS_CLASS, ReportStatus, Section, SelfAssessment
from egovpm.reports.models import ReportObligation
from egovpm.rules import facts_reports as fr
from egovpm.web import errors
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import kept_under_records, render_kept_page
from egovpm.web.links import pk_url
from egovpm.web.registry import InboxItem, more_line


class ReportDraftForm(forms.Form):
    """The five sections and the self-assessment: what a draft saves (blank allowed)."""

    progress = TextFormField(label=Section.PROGRESS.label, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    content = TextFormField(label=Section.CONTENT.label, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    tendering = TextFormField(label=Section.TENDERING.label, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    budget_execution = TextFormField(
        label=Section.BUDGET_EXECUTION.label, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = TextFormField(label=Section.PROBLEMS.label, required=False, widget=forms.Textarea(attrs={"rows": 5}))
    self_assessment = forms.ChoiceField(
        label=gettext_lazy("Your assessment of the project"),
        choices=SelfAssessment.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=gettext_lazy("Set beside the compliance health NDRC computes."),
    )

    def sections(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in SECTION_KEYS}


class ReportForm(ReportDraftForm):
    """The draft's fields and what a submission adds: the paper time, the confirmation, the
    self-assessment required."""

    submitted_at = forms.DateTimeField(
        label=gettext_lazy("Submitted on paper at (Beijing time)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Only to record a report already delivered on paper; leave empty to submit now."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm the submission to NDRC and the Ministry of Finance; it cannot be changed afterwards."
        ),
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_assessment"].required = True

    def instant(self) -> dt.datetime | None:
        value = self.cleaned_data.get("submitted_at")
        if value is None:
            return None
        # datetime-local has no zone: the clerk types Beijing time
        return value.replace(tzinfo=fr.BEIJING) if value.tzinfo is None else value.astimezone(fr.BEIJING)


class ReturnForm(forms.Form):
    comment = TextFormField(label=gettext_lazy("What must be revised"), widget=forms.Textarea(attrs={"rows": 3}))


class AsOfForm(forms.Form):
    as_of = StrictDateFormField(required=False, input_formats=["%Y-%m-%d"])

    def value(self) -> dt.date:
        if self.is_bound and not self.is_valid():
            raise BadRequest(DATE_MESSAGE)  # the 400 page, never a silent "today" (nor a 500)
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return min(self.cleaned_data["as_of"], clock.today())
        return clock.today()


def status_rows(obligations: list[selectors.Obligation], today: dt.date) -> list[dict[str, Any]]:
    """The rows of a list of obligations as its templates show them; `ack_ndrc` / `ack_mof`: 签收
    by each recipient (a template's lookup of a missing key costs a dir() of the dict)."""
    horizon = selectors.upcoming_days()
    rows = []
    for o in obligations:
        acks = o.acknowledgements
        rows.append(
            {
                "o": o,
                "period_label": _period_label(o.period),
                "status_label": ReportStatus(o.status).label,
                "status_class": STATUS_CLASS[o.status],
                "due_soon": o.status == fr.PENDING and 0 <= o.due_in(today) <= horizon,
                "submittable": o.submittable(today),
                "url": report_url(o.project.pk, o.code),
                "ack_ndrc": "ndrc" in acks,
                "ack_mof": "mof" in acks,
            }
        )
    return rows


def budget_rows(table: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The budget execution table for the screen: 万元 shown, exact yuan on hover (ui.md)."""
    if not table:
        return []

    def money(v: str | None) -> dict[str, str]:
        return {"wan": selectors.wan(v), "yuan": v or ""}

    rows = [
        {
            "code": i["code"],
            "name": i["name"],
            "baseline": money(i["baseline_amount"]),
            "current": money(i["current_amount"]),
            "spent": money(i["spent"]),
            "rate": selectors.percent(i["execution_rate"]),
            "rate_exact": percent_exact(i["execution_rate"]),
            "total": False,
        }
        for i in table["items"]
    ]
    rows.append(
        {
            "code": "",
            "name": _("Total"),
            "baseline": money(table["total_baseline"]),
            "current": money(table["total_current"]),
            "spent": money(table["total_spent"]),
            "rate": selectors.percent(table["execution_rate"]),
            "rate_exact": percent_exact(table["execution_rate"]),
            "total": True,
        }
    )
    return rows


# ---------------------------------------------------------------- project tab


def tab_context(request: AuthenticatedHttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    as_of = AsOfForm(request.GET or None).value()
    today = clock.today()
    obligations = selectors.report_obligations_for(project=project, as_of=as_of)
    obligations.reverse()  # newest first
    return {
        "report_rows": status_rows(obligations, today),
        "report_as_of": as_of,
        "today": today,
        "may_submit": policies.may_submit(user, project),
    }


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 建设情况报告: the project's report obligations as of a date."""
    project = project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, "reports", tab_context(request, project))


# ---------------------------------------------------------------- one report


WRITABLE = (fr.PENDING, fr.OVERDUE, fr.RETURNED)


def _show_section_errors(form: forms.Form, error: DomainError) -> None:
    """A refusal naming sections (`sections.<key>`, e.g. a prompt of the pre-fill left in) shows
    under each of those fields; web.errors.attach adds the words naming them above the form."""
    details = error.details if isinstance(error.details, dict) else {}
    for key in error.fields:
        name = key.removeprefix("sections.")
        if key.startswith("sections.") and name in form.fields:
            form.add_error(name, str(details[key]))


def _report_page(
    request: AuthenticatedHttpRequest,
    project: Project,
    period: str,
    *,
    form: ReportDraftForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = clock.today()
    o = selectors.report_obligation(project=project, period=period)
    lead = policies.may_submit(user, project)
    # the lead department writes (and saves a draft) while no submission stands — before the period
    # ends too; it submits only once the period has ended
    may_write = lead and o.status in WRITABLE
    may_submit = may_write and o.submittable(today)
    budget = o.current.budget_snapshot if o.current else None
    copy: dict[str, Any] = {}
    if may_write:
        copy = selectors.report_working_copy(project=project, obligation=o, today=today)
        budget = copy["budget"]
        if form is None:
            initial = {**copy["sections"], "self_assessment": copy["self_assessment"]}
            form = ReportForm(initial=initial) if may_submit else ReportDraftForm(initial=initial)
    recipient = policies.recipient_of(user)
    pdf = rendering.pdf_available()
    ctx = {
        "project": project,
        "o": o,
        "title": rendering.report_title(project, o.period),
        "status_label": ReportStatus(o.status).label,
        "status_class": STATUS_CLASS[o.status],
        "today": today,
        "form": form if may_write else None,
        "may_submit": may_submit,
        "copy": copy,
        "placeholder_labels": [Section(k).label for k in copy.get("placeholder_sections", [])],
        "not_ended": lead and not o.period.ended_by(today),
        "budget_rows": budget_rows(budget),
        "sections": [(k, Section(k).label, (o.current.sections.get(k, "") if o.current else "")) for k in SECTION_KEYS],
        "history": selectors.report_history(project=project, period=o.code),
        "may_return": policies.may_return(user) and o.current is not None and o.status != fr.RETURNED,
        "return_form": return_form or ReturnForm(),
        "may_acknowledge": recipient is not None
        and o.current is not None
        and o.status != fr.RETURNED
        and recipient not in o.acknowledgements,
        "acks": o.acknowledgements,
        "docx_url": reverse("api:report-document", kwargs={"project_id": project.pk, "period": o.code}),
        "pdf_url": reverse("web:report_pdf_document", kwargs={"pk": project.pk, "period": o.code}) if pdf else "",
    }
    return render(request, "reports/report.html", ctx, status=status)


@login_required
@domain_errors
def report_detail(request: AuthenticatedHttpRequest, pk: Any, period: str) -> HttpResponse:
    project = project_policies.project_for(request.user, pk)
    return _report_page(request, project, period)


def _write(
    request: AuthenticatedHttpRequest,
    pk: Any,
    period: str,
    form: ReportDraftForm,
    write: Callable[[User, Project, ReportDraftForm], object],
    done: str,
) -> HttpResponse:
    """The lead department's POST of the report form (submit or save the draft): 404 outside the
    scope, 403 for anyone but the lead department, the refusal shown on the form with its status."""
    user = request.user
    project = project_policies.project_for(user, pk)
    if not policies.may_submit(user, project):
        raise PermissionDenied(_("Only the lead department writes its project's reports."))
    status = 400
    if form.is_valid():
        try:
            write(user, project, form)
        except DomainError as e:
            _show_section_errors(form, e)
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, done)
            return redirect("web:report_detail", pk=project.pk, period=period)
    return _report_page(request, project, period, form=form, status=status)


@login_required
@require_POST
@domain_errors
def report_submit(request: AuthenticatedHttpRequest, pk: Any, period: str) -> HttpResponse:
    def write(user: User, project: Project, form: ReportDraftForm) -> object:
        assert isinstance(form, ReportForm)
        return services.report_submit(
            actor=user,
            project_id=project.pk,
            period=period,
            sections=form.sections(),
            submitted_at=form.instant(),
            self_assessment=form.cleaned_data["self_assessment"],
        )

    done = _("The report was submitted to NDRC and the Ministry of Finance.")
    return _write(request, pk, period, ReportForm(request.POST), write, done)


@login_required
@require_POST
@domain_errors
def report_draft(request: AuthenticatedHttpRequest, pk: Any, period: str) -> HttpResponse:
    """Save the working copy (保存草稿) — before the period ends too; back to the report page."""

    def write(user: User, project: Project, form: ReportDraftForm) -> object:
        return services.report_draft_save(
            actor=user,
            project_id=project.pk,
            period=period,
            sections=form.sections(),
            self_assessment=form.cleaned_data.get("self_assessment") or "",
        )

    done = _("The draft was saved; it is not submitted yet.")
    return _write(request, pk, period, ReportDraftForm(request.POST), write, done)


@login_required
@domain_errors
def report_pdf(request: AuthenticatedHttpRequest, pk: Any, period: str) -> HttpResponse:
    """The report as PDF for the browser; where this server cannot render PDF, a page that says so
    in the user's language (503) with the DOCX link — never the API's JSON."""
    project = project_policies.project_for(request.user, pk)
    o = selectors.report_obligation(project=project, period=period)
    ctx = rendering.document_context(project=project, period=o.period, submission=o.current, today=clock.today())
    try:
        content = rendering.render_pdf(ctx)
    except rendering.PdfUnavailable as e:
        page = {
            "project": project,
            "o": o,
            "title": rendering.report_title(project, o.period),
            "message": e.message,
            "docx_url": reverse("api:report-document", kwargs={"project_id": project.pk, "period": o.code}),
        }
        return render(request, "reports/pdf_unavailable.html", page, status=e.status)
    return api.attachment(content, "application/pdf", f"{project.code}-{o.code}-建设情况报告.pdf")


@login_required
@require_POST
@domain_errors
def report_return(request: AuthenticatedHttpRequest, pk: Any, period: str) -> HttpResponse:
    user = request.user
    project = project_policies.project_for(user, pk)
    if not policies.may_return(user):
        raise PermissionDenied(_("Only NDRC returns a report for revision."))
    form = ReturnForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.report_return(
                actor=user, project_id=project.pk, period=period, comment=form.cleaned_data["comment"]
            )
        except DomainError as e:
            errors.attach(form, e, language_of(request))
            status = e.status
        else:
            messages.success(request, _("The report was returned to the department for revision."))
            return redirect("web:report_detail", pk=project.pk, period=period)
    return _report_page(request, project, period, return_form=form, status=status)


@login_required
@require_POST
@domain_errors
def report_acknowledge(request: AuthenticatedHttpRequest, pk: Any, period: str) -> HttpResponse:
    user = request.user
    project = project_policies.project_for(user, pk)
    try:
        services.report_acknowledge(actor=user, project_id=project.pk, period=period)
    except DomainError as e:
        if e.status in (403, 404):
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, _("Receipt of the report was acknowledged."))
    return redirect("web:report_detail", pk=project.pk, period=period)


# ---------------------------------------------------------------- portfolio / own obligations


def _matrix_html(data: dict[str, Any], as_of: dt.date) -> str:
    """The departments × periods table. For the whole portfolio (NDRC, MoF) the rendering is cached
    under the matrix's own key (the stamp of the stored obligations and the departments' names,
    selectors.report_portfolio) and the language: thousands of cells are rendered once per change."""
    key = f"{data['cache_key']}:html:{get_language()}" if data.get("cache_key") else ""
    html = cache.get(key) if key else None
    if html is None:
        matrix = [
            {"department": d, "cells": [(p, data["cells"].get((d.code, p))) for p in data["periods"]]}
            for d in data["departments"]
        ]
        periods = [(p, _period_label(fr.period_from_code(p))) for p in data["periods"]]
        html = render_to_string("reports/_matrix.html", {"matrix": matrix, "periods": periods, "as_of": as_of})
        if key:
            cache.set(key, html, selectors.MATRIX_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own template's output


def _page_of(request: AuthenticatedHttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


def _pager(request: AuthenticatedHttpRequest, page: selectors.Page) -> dict[str, Any]:
    """Links to the neighbouring pages, keeping the other query parameters."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "page": page,
        "previous_url": link(page.number - 1) if page.has_previous else "",
        "next_url": link(page.number + 1) if page.has_next else "",
    }


def _list_filters(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """The list's filters through its one FilterSet (reports/filters.py, the API's too): a refused
    value is the 400 page naming the field."""
    try:
        return filters.validated(request.GET)
    except DomainError as e:
        shown = e.details if isinstance(e.details, dict) else {}
        raise BadRequest("; ".join(f"{k}: {v}" for k, v in shown.items()) or e.message) from None


def _list_context(request: AuthenticatedHttpRequest, chosen: dict[str, str]) -> dict[str, Any]:
    """The filter form, the header sort links and the export link, each keeping the others."""
    sort = lists.sort_param(request.GET.get("sort"), selectors.DRILL_SORTS)
    return {
        "filter": filters.ReportObligationFilter(request.GET, queryset=ReportObligation.objects.none()).form,
        "sort": sort,
        "sorts": lists.sort_links(request, selectors.DRILL_SORTS, sort),
        "export_url": lists.export_url(request),
        **chosen,
    }


@login_required
@domain_errors
def report_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    as_of = AsOfForm(request.GET or None).value()
    # each list rendered once and kept for this user and address under the records' stamp (ADR 0020)
    if policies.may_view_portfolio(user):
        chosen = _list_filters(request)

        def portfolio() -> dict[str, Any]:
            today = clock.today()  # read with the records' stamp, never before it (midnight)
            sort = request.GET.get("sort", "")
            drilled = any(chosen.values())
            data = selectors.report_portfolio(
                user=user,
                as_of=as_of,
                **chosen,
                sort=sort,
                page=_page_of(request) if drilled else 1,
                page_size=selectors.PAGE_SIZE if drilled else 0,
            )
            query = request.GET.copy()
            query.pop("page", None)
            return {
                "portfolio": data,
                "matrix_html": _matrix_html(data, as_of),
                "drill": status_rows(data["obligations"], today) if drilled else None,
                "as_of": as_of,
                "today": today,
                "export_query": query.urlencode(),
                **_list_context(request, chosen),
                **(_pager(request, data["page"]) if drilled else {}),
            }

        return render_kept_page(request, "reports/portfolio.html", "reports/portfolio_body.html", portfolio)
    if policies.may_see_own_obligations(user):
        chosen = _list_filters(request)
        period, status, sort = chosen["period"], chosen["status"], request.GET.get("sort", "")
        if request.GET.get("export") == "xlsx":
            rows = selectors.department_obligations(
                user=user, as_of=as_of, page_size=0, period=period, status=status, sort=sort
            ).items
            return _obligations_xlsx(rows, clock.today())

        def department() -> dict[str, Any]:
            today = clock.today()  # read with the records' stamp, never before it (midnight)
            page = selectors.department_obligations(
                user=user, as_of=as_of, page=_page_of(request), period=period, status=status, sort=sort
            )
            return {
                "rows": status_rows(page.items, today),
                "as_of": as_of,
                "today": today,
                **_list_context(request, chosen),
                **_pager(request, page),
            }

        return render_kept_page(request, "reports/department.html", "reports/department_body.html", department)
    raise PermissionDenied(_("Progress reports are for departments, NDRC and the Ministry of Finance."))


def _obligations_xlsx(rows: list[selectors.Obligation], today: dt.date) -> HttpResponse:
    """The department's own list as XLSX: the filtered, sorted obligations it shows, unpaged."""
    header = [
        _("Department"),
        _("Project"),
        _("Project code"),
        _("Period"),
        _("Due"),
        _("Status"),
        _("First submitted"),
    ]
    body = (
        [
            r["o"].project.lead_department.name,
            r["o"].project.name,
            r["o"].project.code,
            r["period_label"],
            r["o"].due,
            str(r["status_label"]),
            rendering._instant_zh(r["o"].first_submitted_at),
        ]
        for r in status_rows(rows, today)
    )
    return lists.xlsx_response("progress-reports.xlsx", header, body)


@login_required
@domain_errors
def report_portfolio_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policies.may_view_portfolio(user):
        raise PermissionDenied(_("The report portfolio is for NDRC and the Ministry of Finance."))
    as_of = AsOfForm(request.GET or None).value()
    chosen = _list_filters(request)
    data = selectors.portfolio_export(user=user, as_of=as_of, **chosen, sort=request.GET.get("sort", ""))
    return api.attachment(
        rendering.render_portfolio_xlsx(data), api.XLSX, f"建设情况报告报送情况-{as_of.isoformat()}.xlsx"
    )


# ---------------------------------------------------------------- 待办


def report_url(project_pk: Any, period: str) -> str:
    """reverse("web:report_detail", kwargs={"pk": …, "period": …}) without walking the URL patterns
    for each row: the project's reports tab URL (web.links.pk_url, reversed once) and the period —
    the same string, a period code (2025, 2025-H1) needing no quoting."""
    return f"{pk_url('web:project_reports', project_pk)}{period}/"


def _more(count: int, shown: int, title: str, url: str) -> list[InboxItem]:
    return more_line(count, shown, title, url, "report_more")


def inbox_items(user: User) -> list[InboxItem]:
    """Reports the lead department must submit (due within the pack's horizon, overdue, or returned),
    and for NDRC / MoF the submitted reports they have not acknowledged yet: the most urgent
    selectors.INBOX_LIMIT of each, and a line with how many more (to the reports page)."""
    items: list[InboxItem] = []
    home = reverse("web:report_home")
    if policies.may_see_own_obligations(user):
        # kept while no record changes (web.inbox.kept_under_records; the date is in the stamp)
        page = kept_under_records(
            f"reports.inbox:user{user.pk}",
            lambda: selectors.inbox_obligations(user=user, horizon=selectors.upcoming_days()),
        )
        for o in page.items:
            label = _period_label(o.period)
            if o.status == fr.OVERDUE:
                title = _("Overdue: progress report for %(period)s") % {"period": label}
            elif o.status == fr.RETURNED:
                title = _("Returned for revision: progress report for %(period)s") % {"period": label}
            else:
                title = _("Due soon: progress report for %(period)s") % {"period": label}
            url = report_url(o.project.pk, o.code)
            items.append(InboxItem(title=title, url=url, project=o.project, due=o.due, kind="report"))
        items += _more(page.count, len(page.items), _("…and %(n)s more progress reports to submit"), home)
    recipient = policies.recipient_of(user)
    if recipient is not None:
        page = selectors.unacknowledged(user=user, recipient=recipient)
        for o in page.items:
            items.append(
                InboxItem(
                    title=_("Acknowledge receipt: progress report for %(period)s")
                    % {"period": _period_label(o.period)},
                    url=report_url(o.project.pk, o.code),
                    project=o.project,
                    due=None,
                    kind="report_ack",
                )
            )
        items += _more(page.count, len(page.items), _("…and %(n)s more progress reports to acknowledge"), home)
    return items


def _period_label(p: fr.Period) -> str:
    return p.label_en if language_is_en() else p.label_zh


def language_is_en() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")
