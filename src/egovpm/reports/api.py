"""Progress reports over HTTP (api.md "Reports"). Views translate; services and selectors decide."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from egovpm.accounts.requests import AuthenticatedRequest
from egovpm.core import clock, validators
from egovpm.core.api import iso_datetime
from egovpm.core.errors import Conflict
from egovpm.projects import policies as project_policies
from egovpm.reports import filters, policies, rendering, selectors, services
from egovpm.reports.choices import SECTION_KEYS, ReportKind, ReportStatus, SelfAssessment
from egovpm.reports.errors import ReportError
from egovpm.rules import facts_reports as fr
from egovpm.web.inbox import kept_get

AS_OF = OpenApiParameter("as_of", str, description="YYYY-MM-DD; today in Beijing when absent")


def parse_as_of(request: AuthenticatedRequest) -> dt.date | None:
    """`as_of` by the shared rule (YYYY-MM-DD within 1990–2099: core/validators.py): 9999-12-31
    would overflow the year arithmetic of the obligations (a 500 before)."""
    return validators.parse_as_of(request.query_params.get("as_of"))


# ---------------------------------------------------------------- serializers


class SectionsSerializer(serializers.Serializer):
    progress = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="建设进度")
    content = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="实施内容")
    tendering = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="招标投标")
    budget_execution = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="概预算执行")
    problems = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="存在的问题")


class StrictText(validators.LongText):
    """Text only (multi-line, the text rule of core/validators.py): a number or a list is refused
    rather than turned into its string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SubmitIn(serializers.Serializer):
    sections = serializers.DictField(
        child=StrictText(allow_blank=True, trim_whitespace=False),
        help_text=f"the five sections: {', '.join(SECTION_KEYS)}",
    )
    submitted_at = validators.ShortText(
        required=False,
        allow_blank=True,
        help_text="a paper submission's real time, ISO 8601 with offset; never in the future",
    )
    self_assessment = serializers.ChoiceField(
        choices=SelfAssessment.choices,
        required=False,
        allow_blank=True,
        help_text="the department's view of the project: on_track, at_risk or off_track (optional)",
    )


class ReturnIn(serializers.Serializer):
    comment = validators.LongText(help_text="what must be revised")


class ReturnedOut(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField()
    comment = serializers.CharField()


class AcknowledgementsOut(serializers.Serializer):
    ndrc = serializers.DateTimeField(allow_null=True)
    mof = serializers.DateTimeField(allow_null=True)


class ObligationOut(serializers.Serializer):
    period = serializers.CharField(help_text="2027-H1 (first half-year) or 2027 (whole year)")
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_date = serializers.DateField(help_text="inclusive, Asia/Shanghai")
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="the first submission, which decides lateness")
    timeliness = serializers.CharField(allow_null=True, help_text="on_time | late (by the first submission) | null")
    version = serializers.IntegerField(help_text="number of submissions so far (resubmissions after returns)")
    last_submitted_at = serializers.DateTimeField(allow_null=True)
    returned = ReturnedOut(allow_null=True)
    acknowledgements = AcknowledgementsOut()
    submittable = serializers.BooleanField(help_text="the period has ended and no submission stands")


class ObligationListOut(serializers.Serializer):
    as_of = serializers.DateField()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ObligationOut(many=True)


class HistoryOut(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="submitted | returned | acknowledged_ndrc | acknowledged_mof")
    version = serializers.IntegerField()
    by = serializers.CharField()
    paper = serializers.BooleanField(required=False)
    comment = serializers.CharField(required=False)


class ObligationDetailOut(ObligationOut):
    project = serializers.CharField()
    title = serializers.CharField()
    sections = SectionsSerializer(allow_null=True, help_text="the current submission's sections")
    budget = serializers.JSONField(allow_null=True, help_text="the budget execution table as submitted")
    self_assessment = serializers.CharField(
        allow_null=True, help_text='the current submission\'s on_track | at_risk | off_track, "" when not given'
    )
    history = HistoryOut(many=True)


class PrefillOut(serializers.Serializer):
    period = serializers.CharField()
    sections = SectionsSerializer()
    budget = serializers.JSONField(allow_null=True)


class DraftIn(serializers.Serializer):
    sections = serializers.DictField(
        child=StrictText(allow_blank=True, trim_whitespace=False),
        help_text=f"the five sections: {', '.join(SECTION_KEYS)} (blank allowed in a draft)",
    )
    self_assessment = serializers.ChoiceField(
        choices=SelfAssessment.choices, required=False, allow_blank=True, help_text="optional"
    )


class DraftOut(serializers.Serializer):
    period = serializers.CharField()
    origin = serializers.ChoiceField(
        choices=["draft", "returned", "records"],
        help_text="draft: the saved working copy; returned: what was sent before the return; records: the pre-fill",
    )
    sections = SectionsSerializer()
    self_assessment = serializers.CharField(allow_blank=True)
    saved_at = serializers.DateTimeField(allow_null=True)
    saved_by = serializers.CharField(source="saved_by.username", allow_null=True, default=None)
    budget = serializers.JSONField(allow_null=True)
    placeholder_sections = serializers.ListField(
        child=serializers.CharField(),
        help_text="sections still holding a prompt 【待填写：…】: submission refuses them",
    )
    submittable = serializers.BooleanField(help_text="the period has ended: the report can be submitted")


class PortfolioRowOut(serializers.Serializer):
    department = serializers.CharField()
    department_name = serializers.CharField()
    period = serializers.CharField()
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    pending = serializers.IntegerField()
    returned = serializers.IntegerField()


class PortfolioProjectOut(ObligationOut):
    project = serializers.CharField()
    project_code = serializers.CharField()
    project_name = serializers.CharField()
    department = serializers.CharField()


class PortfolioOut(serializers.Serializer):
    as_of = serializers.DateField()
    periods = serializers.ListField(child=serializers.CharField())
    rows = PortfolioRowOut(many=True, help_text="the departments × periods matrix, the whole scope")
    totals = serializers.DictField(child=serializers.IntegerField())
    count = serializers.IntegerField(help_text="obligations in the drill-down (all pages)")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = PortfolioProjectOut(many=True, help_text="one page of the drill-down")
    projects = PortfolioProjectOut(many=True, help_text="the same page as `results` (kept for older clients)")


def obligation_data(o: selectors.Obligation, today: dt.date) -> dict[str, Any]:
    current = o.current
    ret = o.return_record
    acks = o.acknowledgements
    return {
        "period": o.code,
        "kind": o.period.kind,
        "period_start": o.period.start,
        "period_end": o.period.end,
        "due_date": o.due,
        "status": o.status,
        "submitted_at": o.first_submitted_at,
        "timeliness": o.timeliness,
        "version": current.version if current else 0,
        "last_submitted_at": current.submitted_at if current else None,
        "returned": {"at": ret.returned_at, "by": ret.returned_by.label(), "comment": ret.comment} if ret else None,
        "acknowledgements": {
            "ndrc": acks["ndrc"].acknowledged_at if "ndrc" in acks else None,
            "mof": acks["mof"].acknowledged_at if "mof" in acks else None,
        },
        "submittable": o.submittable(today),
    }


def obligation_json(data: dict[str, Any], zone: dt.tzinfo) -> dict[str, Any]:
    """ObligationOut's rendering of obligation_data(...) (plus any plain string fields beside it)
    without the serializer: a list page of 50 built some 900 field objects' representations."""
    ret = data["returned"]
    acks = data["acknowledgements"]
    return {
        **data,
        "period_start": data["period_start"].isoformat(),
        "period_end": data["period_end"].isoformat(),
        "due_date": data["due_date"].isoformat(),
        "submitted_at": iso_datetime(data["submitted_at"], zone),
        "last_submitted_at": iso_datetime(data["last_submitted_at"], zone),
        "returned": {"at": iso_datetime(ret["at"], zone), "by": str(ret["by"]), "comment": str(ret["comment"])}
        if ret is not None
        else None,
        "acknowledgements": {"ndrc": iso_datetime(acks["ndrc"], zone), "mof": iso_datetime(acks["mof"], zone)},
    }


def _detail(project: Any, period: str, as_of: dt.date | None = None) -> dict[str, Any]:
    o = selectors.report_obligation(project=project, period=period, as_of=as_of)
    current = o.current
    history = [
        {**h, "by": h["by"].label()}
        for h in selectors.report_history(project=project, period=o.code)
        if fr.beijing_date(h["at"]) <= o.as_of
    ]
    return {
        **obligation_data(o, clock.today()),
        "project": str(project.pk),
        "title": rendering.report_title(project, o.period),
        "sections": current.sections if current else None,
        "budget": current.budget_snapshot if current else None,
        "self_assessment": current.self_assessment if current else None,
        "history": history,
    }


# ---------------------------------------------------------------- views


class ReportListView(APIView):
    @extend_schema(operation_id="projects_reports_list", parameters=[AS_OF], responses={200: ObligationListOut})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest, project_id: str) -> Response:
        """Every report obligation of the project as of a date, oldest first (derived from the stage events)."""
        project = project_policies.project_for(request.user, project_id)
        as_of = parse_as_of(request)
        obligations = selectors.report_obligations_for(project=project, as_of=as_of)
        today = clock.today()
        data = {
            "as_of": as_of or today,
            "count": len(obligations),
            "next": None,
            "previous": None,
            "results": [obligation_data(o, today) for o in obligations],
        }
        return Response(ObligationListOut(data).data)


class ReportDetailView(APIView):
    @extend_schema(operation_id="projects_report_retrieve", parameters=[AS_OF], responses={200: ObligationDetailOut})
    def get(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """One report: status, the current submission's sections and its whole history."""
        project = project_policies.project_for(request.user, project_id)
        return Response(ObligationDetailOut(_detail(project, period, parse_as_of(request))).data)


class ReportPrefillView(APIView):
    @extend_schema(responses={200: PrefillOut})
    def get(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """The five sections pre-filled from the project's records, to edit before submitting."""
        project = project_policies.project_for(request.user, project_id)
        o = selectors.report_obligation(project=project, period=period)
        draft = selectors.report_prefill(project=project, period=o.period)
        return Response(PrefillOut({"period": o.code, **draft}).data)


def _draft_body(project: Any, period: str) -> dict[str, Any]:
    o = selectors.report_obligation(project=project, period=period)
    if o.status not in (fr.PENDING, fr.OVERDUE, fr.RETURNED):
        raise Conflict(ReportError.ALREADY_SUBMITTED, {"period": o.code}, data={"period": o.code, "status": o.status})
    today = clock.today()
    copy = selectors.report_working_copy(project=project, obligation=o, today=today)
    return {**copy, "submittable": o.submittable(today)}


class ReportDraftView(APIView):
    @extend_schema(responses={200: DraftOut, 409: OpenApiResponse(description="already_submitted")})
    def get(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """The lead department's working copy: its saved draft, else what was sent before a return,
        else the pre-fill from the records (stage, period, estimate and spending, documents)."""
        project = project_policies.project_for(request.user, project_id)
        project_policies.require(policies.may_submit(request.user, project), ReportError.DRAFT_LEAD_ONLY)
        return Response(DraftOut(_draft_body(project, period)).data)

    @extend_schema(request=DraftIn, responses={200: DraftOut, 409: OpenApiResponse(description="already_submitted")})
    def put(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """Save the working copy — also before the period ends; blank sections and prompts are kept.
        Submitting still waits for the period's end and refuses the prompts."""
        project = project_policies.project_for(request.user, project_id)
        project_policies.require(policies.may_submit(request.user, project), ReportError.DRAFT_LEAD_ONLY)
        data = DraftIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_draft_save(
            actor=request.user,
            project_id=project.pk,
            period=period,
            sections=data.validated_data["sections"],
            self_assessment=data.validated_data.get("self_assessment") or "",
        )
        return Response(DraftOut(_draft_body(project, period)).data)


class ReportSubmitView(APIView):
    @extend_schema(
        request=SubmitIn,
        responses={
            201: ObligationDetailOut,
            400: OpenApiResponse(description="placeholders_left: a section still holds a prompt 【待填写：…】"),
            409: OpenApiResponse(description="period_not_ended, already_submitted"),
        },
    )
    def post(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """Submit the report to NDRC and MoF, once the period has ended; immutable afterwards."""
        project = project_policies.project_for(request.user, project_id, "write")
        project_policies.require(policies.may_submit(request.user, project), ReportError.SUBMIT_LEAD_ONLY)
        data = SubmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_submit(
            actor=request.user,
            project_id=project.pk,
            period=period,
            sections=data.validated_data["sections"],
            submitted_at=data.validated_data.get("submitted_at") or None,
            self_assessment=data.validated_data.get("self_assessment") or "",
        )
        return Response(ObligationDetailOut(_detail(project, period)).data, status=status.HTTP_201_CREATED)


class ReportReturnView(APIView):
    @extend_schema(request=ReturnIn, responses={200: ObligationDetailOut})
    def post(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """NDRC returns the report for revision with a comment (status `returned`)."""
        project = project_policies.project_for(request.user, project_id, "write")
        project_policies.require(policies.may_return(request.user), ReportError.RETURN_NDRC_ONLY)
        data = ReturnIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_return(
            actor=request.user, project_id=project.pk, period=period, comment=data.validated_data["comment"]
        )
        return Response(ObligationDetailOut(_detail(project, period)).data)


class ReportAcknowledgeView(APIView):
    @extend_schema(request=None, responses={200: ObligationDetailOut})
    def post(self, request: AuthenticatedRequest, project_id: str, period: str) -> Response:
        """签收: NDRC or MoF acknowledges receipt of the current submission."""
        project = project_policies.project_for(request.user, project_id, "write")
        services.report_acknowledge(actor=request.user, project_id=project.pk, period=period)
        return Response(ObligationDetailOut(_detail(project, period)).data)


def _document(request: AuthenticatedRequest, project_id: str, period: str) -> tuple[dict[str, Any], str]:
    # A read: the same scope as /reports ("view"), never "write" (which counts any assignment, an
    # expert's too): the document carries budget execution and tender data (issue 9, item 1).
    project = project_policies.project_for(request.user, project_id)
    o = selectors.report_obligation(project=project, period=period)
    ctx = rendering.document_context(project=project, period=o.period, submission=o.current, today=clock.today())
    return ctx, f"{project.code}-{o.code}-建设情况报告"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "report"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


class ReportDocumentView(APIView):
    @extend_schema(responses={(200, DOCX): OpenApiResponse(description="the report as DOCX")})
    def get(self, request: AuthenticatedRequest, project_id: str, period: str) -> HttpResponse:
        """The report as an official document (DOCX): the current submission, or the pre-filled draft."""
        ctx, name = _document(request, project_id, period)
        return attachment(rendering.render_docx(ctx), DOCX, f"{name}.docx")


class ReportPdfView(APIView):
    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(description="the report as PDF"),
            503: OpenApiResponse(description="pdf_unavailable: WeasyPrint is not installed"),
        }
    )
    def get(self, request: AuthenticatedRequest, project_id: str, period: str) -> HttpResponse:
        """The report as PDF (WeasyPrint with a CJK font)."""
        ctx, name = _document(request, project_id, period)
        return attachment(rendering.render_pdf(ctx), "application/pdf", f"{name}.pdf")


PORTFOLIO_PARAMS = [
    AS_OF,
    OpenApiParameter("department", str, description="drill down: lead department code"),
    OpenApiParameter("period", str, description="drill down: period code"),
    OpenApiParameter("status", str, enum=ReportStatus.values, description="drill down: the obligation's status"),
    OpenApiParameter(
        "sort",
        str,
        enum=[*selectors.DRILL_SORTS, *(f"-{k}" for k in selectors.DRILL_SORTS)],
        description="drill-down order: a column, `-` for descending (default: department, project, period)",
    ),
]
PAGE_PARAMS = [
    OpenApiParameter("page", int, description="page of the drill-down (from 1)"),
    OpenApiParameter(
        "page_size", int, description=f"obligations per page (default {selectors.PAGE_SIZE}, at most 500)"
    ),
]


def _portfolio_args(request: AuthenticatedRequest) -> dict[str, Any]:
    project_policies.require(policies.may_view_portfolio(request.user), ReportError.PORTFOLIO_NDRC_MOF_ONLY)
    # the list's one FilterSet (reports/filters.py), also the 建设情况报告 page's
    chosen = filters.validated(request.query_params)
    return {"user": request.user, "as_of": parse_as_of(request), **chosen, "sort": request.query_params.get("sort", "")}


def _page_url(request: AuthenticatedRequest, number: int | None) -> str | None:
    from rest_framework.utils.urls import remove_query_param, replace_query_param

    if number is None:
        return None
    url = request.build_absolute_uri()
    return remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)


def portfolio_row(o: selectors.Obligation, today: dt.date) -> dict[str, Any]:
    """One obligation of the portfolio's drill-down with its project (PortfolioProjectOut's input)."""
    return {
        **obligation_data(o, today),
        "project": str(o.project.pk),
        "project_code": o.project.code,
        "project_name": o.project.name,
        "department": o.project.lead_department.code,
    }


class Encoded:
    """A value JSONRenderer already encoded (compact): EncodedJSONRenderer writes it as it is."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw


class EncodedJSONRenderer(JSONRenderer):
    """JSONRenderer for an object whose values may be Encoded: the same bytes as encoding the whole
    (compact separators); with an `indent` asked for, the encoded values are decoded and the whole
    encoded as usual."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if not isinstance(data, dict) or not any(isinstance(v, Encoded) for v in data.values()):
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type or "", renderer_context or {}) is not None or not self.compact:
            plain = {k: json.loads(v.raw) if isinstance(v, Encoded) else v for k, v in data.items()}
            return super().render(plain, accepted_media_type, renderer_context)
        parts = [
            super(EncodedJSONRenderer, self).render(k) + b":" + (v.raw if isinstance(v, Encoded) else self._one(v))
            for k, v in data.items()
        ]
        return b"{" + b",".join(parts) + b"}"

    def _one(self, value: Any) -> bytes:
        return b"null" if value is None else super().render(value)


# The whole portfolio's matrix rows as the answer writes them, under the matrix's full key
# (selectors._matrix_of: the counts' date and stamp and the departments' names): ~1,000 rows built
# and encoded once per change instead of on every request. One entry, the newest.
_rows_memo: dict[str, Encoded] = {}


def _matrix_rows(data: dict[str, Any]) -> Any:
    """PortfolioRowOut's rendering of the matrix rows (Encoded for the whole portfolio)."""
    key = data.get("cache_key")
    hit = _rows_memo.get(key) if key else None
    if hit is not None:
        return hit
    rows = [
        {
            **{k: r[k] for k in ("period", *selectors.COUNT_KEYS)},
            "department": r["department"].code,
            "department_name": r["department"].name,
        }
        for r in data["rows"]
    ]
    if not key:
        return rows
    encoded = Encoded(JSONRenderer().render(rows))
    _rows_memo.clear()
    _rows_memo[key] = encoded
    return encoded


class PortfolioView(APIView):
    renderer_classes = [EncodedJSONRenderer]

    @extend_schema(parameters=[*PORTFOLIO_PARAMS, *PAGE_PARAMS], responses={200: PortfolioOut})
    @kept_get  # the JSON kept under the records' stamp (ADR 0020)
    def get(self, request: AuthenticatedRequest) -> Response:
        """Departments × periods: counts on time / late / overdue / pending (the whole scope), and one
        page of the obligations behind them (`results`, filtered by `department` and `period`; `count`
        is their total; `projects` repeats `results` for older clients)."""
        number, size = selectors.page_bounds(request.query_params.get("page"), request.query_params.get("page_size"))
        data = selectors.report_portfolio(**_portfolio_args(request), page=number, page_size=size)
        page: selectors.Page = data["page"]
        today = clock.today()
        # The page through its serializer; the matrix (departments × periods, thousands of cells
        # at national scale) is plain ints and strings already: written as they are, in the shape
        # PortfolioOut documents.
        # The page as PortfolioProjectOut renders it, built as plain dicts (obligation_json; the
        # serializer cost more than the page's queries); tests/reports/test_portfolio_rows.py
        # compares the two.
        zone = timezone.get_current_timezone()
        results = [obligation_json(portfolio_row(o, today), zone) for o in page.items]
        body = {
            "as_of": data["as_of"].isoformat(),
            "periods": data["periods"],
            "rows": _matrix_rows(data),
            "totals": data["totals"],
            "count": page.count,
            "next": _page_url(request, page.number + 1 if page.has_next else None),
            "previous": _page_url(request, page.number - 1 if page.has_previous else None),
            "results": results,
            "projects": results,
        }
        return Response(body)


class PortfolioExportView(APIView):
    @extend_schema(parameters=PORTFOLIO_PARAMS, responses={(200, XLSX): OpenApiResponse(description="XLSX")})
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        """The portfolio's submission status as XLSX (summary and per-project sheets, Chinese labels):
        the whole drill-down, written a chunk at a time."""
        data = selectors.portfolio_export(**_portfolio_args(request))
        return attachment(
            rendering.render_portfolio_xlsx(data), XLSX, f"建设情况报告报送情况-{data['as_of'].isoformat()}.xlsx"
        )
