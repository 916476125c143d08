"""A report as an official document (DOCX via python-docx, PDF via WeasyPrint) and the portfolio's
submission status as XLSX (openpyxl). Documents are always in Chinese: they go to NDRC and MoF.

Layout follows the usual 公文 conventions: A4, margins 37/35/28/26 mm, title in bold 宋体 22 pt
centred, the addressees, an opening sentence citing the notice, five numbered sections with 黑体
headings, the budget execution table per sub-project, then the reporting department and the date
on the right."""

from __future__ import annotations

import datetime as dt
import functools
import io
from typing import Any

from django.template.loader import render_to_string

from egovpm.core.errors import DomainError
from egovpm.core.exports import write_only_row
from egovpm.projects.models import Project
from egovpm.reports import selectors
from egovpm.reports.choices import SECTION_KEYS, SECTION_NUMERALS, SECTION_ZH
from egovpm.reports.errors import ReportError
from egovpm.reports.models import ReportSubmission
from egovpm.rules import facts_reports as fr

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
PDF_FONT = "Noto Serif CJK SC"  # Debian fonts-noto-cjk, installed by the project's set-up

BUDGET_HEADERS = (
    "序号",
    "单项工程编码",
    "单项工程名称",
    "批复概算（万元）",
    "现行概算（万元）",
    "累计支出（万元）",
    "执行率",
)


class PdfUnavailable(DomainError):
    status = 503
    code = "pdf_unavailable"
    default_reason = ReportError.PDF_UNAVAILABLE


def report_title(project: Project, period: fr.Period) -> str:
    return f"关于{project.name}{period.label_zh}建设情况的报告"


def document_context(
    *, project: Project, period: fr.Period, submission: ReportSubmission | None, today: dt.date
) -> dict[str, Any]:
    """What both documents print: the submission if there is one, else the pre-filled draft."""
    if submission is not None:
        sections = submission.sections
        budget = submission.budget_snapshot
        day = submission.submitted_at.astimezone(fr.BEIJING).date()
        department = submission.department_name
    else:
        draft = selectors.report_prefill(project=project, period=period, today=today)
        sections, budget, day, department = draft["sections"], draft["budget"], today, project.lead_department.name
    rows = []
    if budget:
        for i, item in enumerate(budget["items"], 1):
            rows.append(
                (
                    str(i),
                    item["code"] or "",
                    item["name"] or "",
                    selectors.wan(item["baseline_amount"]),
                    selectors.wan(item["current_amount"]),
                    selectors.wan(item["spent"]),
                    selectors.percent(item["execution_rate"]),
                )
            )
        rows.append(
            (
                "",
                "",
                "合计",
                selectors.wan(budget["total_baseline"]),
                selectors.wan(budget["total_current"]),
                selectors.wan(budget["total_spent"]),
                selectors.percent(budget["execution_rate"]),
            )
        )
    return {
        "title": report_title(project, period),
        "draft": submission is None,
        "version": submission.version if submission else None,
        "project": project,
        "period": period,
        "department": department,
        "addressees": "国家发展和改革委员会、财政部：",
        "opening": (
            "根据《国家发展改革委关于进一步加强国家电子政务工程建设项目管理工作的通知》"
            f"（发改高技〔2008〕2544号）要求，现将{project.name}（项目代码：{project.code}）"
            f"{period.label_zh}建设情况报告如下："
        ),
        "sections": [
            {
                "key": k,
                "heading": f"{SECTION_NUMERALS[i]}、{SECTION_ZH[k]}",
                "paragraphs": _paragraphs(sections.get(k, "")),
            }
            for i, k in enumerate(SECTION_KEYS)
        ],
        "budget_headers": BUDGET_HEADERS,
        "budget_rows": rows,
        "date": selectors.cn_date(day),
    }


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()] or ["无。"]


# ---------------------------------------------------------------- DOCX


def _font(run: Any, name: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    # font.name sets only the Latin font; Chinese text needs the East Asian one (stack-notes.md)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(
    doc: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    align: Any = None,
    indent: bool = True,
) -> Any:
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # 固定值28磅, the usual 公文 line spacing
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进两字
    _font(p.add_run(text), font, size, bold)
    return p


def render_docx(ctx: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.title = ctx["title"]
    doc.core_properties.author = ctx["department"]
    doc.core_properties.subject = f"{ctx['project'].code} {ctx['period'].code}"

    if ctx["draft"]:
        _para(doc, "（草稿，尚未报送）", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, ctx["title"], size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, f"报送单位：{ctx['department']}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    _para(doc, ctx["addressees"], indent=False)
    _para(doc, ctx["opening"])
    for sec in ctx["sections"]:
        _para(doc, sec["heading"], font=HEADING_FONT)
        for text in sec["paragraphs"]:
            _para(doc, text)
        if sec["key"] == "budget_execution":
            if ctx["budget_rows"]:
                _para(
                    doc,
                    f"{ctx['project'].name}概预算执行情况表（单位：万元）",
                    size=14,
                    bold=True,
                    align=WD_ALIGN_PARAGRAPH.CENTER,
                    indent=False,
                )
                table = doc.add_table(rows=1, cols=len(ctx["budget_headers"]))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, header in zip(table.rows[0].cells, ctx["budget_headers"], strict=True):
                    cell.text = ""
                    _font(cell.paragraphs[0].add_run(header), HEADING_FONT, 10.5, True)
                for row in ctx["budget_rows"]:
                    cells = table.add_row().cells
                    for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
                        cell.text = ""
                        para = cell.paragraphs[0]
                        if i >= 3:
                            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                        _font(para.add_run(value), BODY_FONT, 10.5, bold=(row[2] == "合计"))
            else:
                _para(doc, "（系统中尚无投资概算记录，无概预算执行情况表。）", size=14)
    _para(doc, "", indent=False)
    _para(doc, "特此报告。")
    _para(doc, "", indent=False)
    _para(doc, ctx["department"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, ctx["date"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


@functools.cache
def pdf_available() -> bool:
    """Can this server render PDF? WeasyPrint importable (it needs pango) and rendering a line of
    text without an error — checked once per process. The report page shows the PDF link only then,
    and otherwise says so; the PDF endpoints answer 503 `pdf_unavailable`."""
    try:
        from weasyprint import HTML

        HTML(string="<p>egovpm</p>").write_pdf()
    except Exception:  # noqa: BLE001 -- any failure (import, missing library, font) means "no PDF here"
        return False
    return True


def render_pdf(ctx: dict[str, Any]) -> bytes:
    if not pdf_available():
        raise PdfUnavailable(ReportError.PDF_UNAVAILABLE)
    try:
        # Imported lazily: WeasyPrint needs pango; the rest of egovpm runs without it.
        from weasyprint import HTML
    except (ImportError, OSError) as e:
        raise PdfUnavailable(ReportError.PDF_UNAVAILABLE) from e
    html = render_to_string("reports/report_pdf.html", {**ctx, "font": PDF_FONT})
    return bytes(HTML(string=html).write_pdf())


# ---------------------------------------------------------------- XLSX


STATUS_ZH = {
    fr.PENDING: "未到期",
    fr.OVERDUE: "逾期未报",
    fr.ON_TIME: "按时报送",
    fr.LATE: "迟报",
    fr.RETURNED: "退回修改",
}


def _instant_zh(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(fr.BEIJING)
    return f"{selectors.cn_date(local.date())} {local:%H:%M}"


def render_portfolio_xlsx(portfolio: dict[str, Any]) -> bytes:
    """The summary (the matrix) and the per-project sheet. `portfolio["obligations"]` may be any
    iterable — the whole drill-down, streamed a chunk at a time (selectors.portfolio_export_rows):
    the workbook is written in openpyxl's write-only mode, so memory does not grow with the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="EEF1F5")
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def cells(ws: Any, values: list[Any], number_formats: dict[int, str] | None = None) -> list[Any]:
        return write_only_row(ws, values, number_formats=number_formats)  # text stays text

    def sheet(
        title: str, headers: list[str], rows: Any, widths: list[int], number_formats: dict[int, str] | None = None
    ) -> None:
        ws = wb.create_sheet(title)
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"  # the header stays in view
        head = cells(ws, headers)
        for cell in head:
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
        ws.append(head)
        n = 0
        for row in rows:
            ws.append(cells(ws, row, number_formats))
            n += 1
        if n:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n + 1}"

    as_of = portfolio["as_of"]
    summary = [
        [
            r["department"].name,
            r["department"].code,
            _period_zh(r["period"]),
            r["total"],
            r["on_time"],
            r["late"],
            r["overdue"],
            r["pending"],
            r["returned"],
        ]
        for r in portfolio["rows"]
    ]
    sheet(
        "报送情况汇总",
        ["部门", "部门代码", "报告期", "应报份数", "按时报送", "迟报", "逾期未报", "未到期", "退回修改"],
        summary,
        [34, 12, 16, 10, 10, 8, 10, 8, 10],
    )

    def details() -> Any:
        for o in portfolio["obligations"]:
            acks = o.acknowledgements
            yield [
                o.project.lead_department.name,
                o.project.code,
                o.project.name,
                _period_zh(o.code),
                o.due,
                STATUS_ZH.get(o.status, o.status),
                {"on_time": "按时", "late": "迟报"}.get(o.timeliness or "", ""),
                _instant_zh(o.first_submitted_at),
                _instant_zh(acks["ndrc"].acknowledged_at) if "ndrc" in acks else "",
                _instant_zh(acks["mof"].acknowledged_at) if "mof" in acks else "",
            ]

    sheet(
        "项目明细",
        [
            "部门",
            "项目代码",
            "项目名称",
            "报告期",
            "截止日期",
            "状态",
            "时效（以首次报送为准）",
            "首次报送时间",
            "发改委签收",
            "财政部签收",
        ],
        details(),
        [30, 27, 40, 14, 13, 11, 14, 19, 19, 19],
        {4: 'yyyy"年"m"月"d"日"'},
    )
    info = wb.create_sheet("说明")
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 90
    for row in (
        ["统计口径", f"截至{selectors.cn_date(as_of)}（北京时间）"],
        ["依据", "发改高技〔2008〕2544号第四条：上半年建设情况7月底前、全年建设情况次年1月底前报送发改委和财政部"],
        ["说明", "迟报以首次报送时间为准；退回修改的报告按首次报送的时效计入按时或迟报"],
    ):
        info.append(cells(info, row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _period_zh(code: str) -> str:
    return fr.period_from_code(code).label_zh
