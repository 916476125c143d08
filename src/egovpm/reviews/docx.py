"""The expert-opinion record (专家评议意见) as DOCX, rendered from the immutable record only."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

CONCLUSION_ZH = {"approve": "同意", "revise": "修改后同意", "reject": "不同意"}
FORMED_ZH = {"named": "发改委指定专家", "draw": "从专家库随机抽取"}
FONT = "宋体"


def _font(run: Any, size: float | None = None, bold: bool = False) -> None:
    run.font.name = FONT
    # python-docx sets only the Latin font with font.name: the East Asian one needs rFonts
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def paragraph(doc: Any, text: str, size: float = 12, bold: bool = False, center: bool = False) -> Any:
    p = doc.add_paragraph()
    _font(p.add_run(text), size, bold)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def cn_day(iso: str | None) -> str:
    if not iso:
        return "—"
    y, m, d = iso[:10].split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def record_docx(record: dict[str, Any], sha256: str) -> bytes:
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    project = record["project"]
    paragraph(doc, "专家评议意见", size=18, bold=True, center=True)
    paragraph(doc, f"{project['name']}需求分析报告", size=14, center=True)
    paragraph(doc, f"项目代码：{project['code']}")
    paragraph(doc, f"牵头部门：{project['lead_department']}")
    if project.get("participating_departments"):
        paragraph(doc, f"参与部门：{'、'.join(project['participating_departments'])}")
    paragraph(doc, f"组织单位：国家发展和改革委员会（{record['organised_by']}）")
    paragraph(
        doc,
        f"专家组组成方式：{FORMED_ZH.get(record['formed_by'], record['formed_by'])}，{cn_day(record['formed_at'])}",
    )
    draw = record.get("draw")
    if draw:
        paragraph(
            doc,
            f"随机抽取记录：种子 {draw['seed']}，抽取 {draw['size']} 名，候选专家 {len(draw['candidates'])} 名"
            f"（{'、'.join(draw['candidates'])}），因回避排除 {len(draw['excluded'])} 名。",
            size=10.5,
        )

    paragraph(doc, "一、专家组成员", size=14, bold=True)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "姓名", "单位", "职称", "专业领域"), strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), 10.5, bold=True)
    for i, m in enumerate(record["panel"], start=1):
        row = table.add_row().cells
        for cell, text in zip(
            row,
            (str(i), m["name"], m["department"], m["title"] or "—", "、".join(m["specialties"]) or "—"),
            strict=True,
        ):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), 10.5)

    paragraph(doc, "二、专家个人意见", size=14, bold=True)
    for i, m in enumerate(record["panel"], start=1):
        o = m["opinion"] or {}
        paragraph(
            doc,
            f"{i}. {m['name']}：{CONCLUSION_ZH.get(o.get('recommendation', ''), '—')}（{cn_day(o.get('updated_at'))}）",
            bold=True,
        )
        paragraph(doc, o.get("text") or "—")
        if o.get("attachment"):
            a = o["attachment"]
            paragraph(doc, f"附件：{a['name']}（SHA-256 {a['sha256']}）", size=9)

    paragraph(doc, "三、专家组结论", size=14, bold=True)
    paragraph(doc, f"结论：{CONCLUSION_ZH.get(record['conclusion'], record['conclusion'])}", bold=True)
    paragraph(doc, record["conclusion_text"])
    paragraph(doc, f"国家发展和改革委员会（{record['concluded_by']}）    {cn_day(record['concluded_at'])}")
    paragraph(doc, f"本意见记录的 SHA-256 摘要：{sha256}", size=9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
