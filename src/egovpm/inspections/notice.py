"""整改通知书 (the rectification notice) as DOCX, rendered from the frozen record of an issued
inspection: its findings no longer change once the report is issued, so the notice is the same
whenever it is downloaded. The paragraph and date helpers are the expert-opinion record's."""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.oxml.ns import qn

from egovpm.accounts.models import Department
from egovpm.core.clock import BEIJING
from egovpm.inspections.choices import Area, InspectionKind, Severity
from egovpm.inspections.models import Inspection
from egovpm.reviews.docx import FONT, cn_day, paragraph

AREA_ZH = {
    Area.PROGRESS: "建设进度",
    Area.CONTENT: "建设内容",
    Area.GOALS: "建设目标",
    Area.BUDGET_EXECUTION: "预算执行",
    Area.PROCUREMENT: "招标采购",
    Area.SECURITY: "信息安全",
    Area.ARCHIVES: "项目档案",
}
SEVERITY_ZH = {Severity.MINOR: "一般", Severity.MAJOR: "较重", Severity.SERIOUS: "严重"}
KIND_ZH = {InspectionKind.INSPECTION: "监督检查", InspectionKind.AUDIT: "稽查"}
ISSUER = "国家发展和改革委员会"


def notice_docx(inspection: Inspection) -> bytes:
    """The notice of an issued inspection (the caller checks it is issued; findings prefetched)."""
    project = inspection.project
    co = list(Department.objects.filter(code__in=inspection.co_organisers).values_list("name", flat=True))
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    paragraph(doc, "整改通知书", size=22, bold=True, center=True)
    paragraph(doc, inspection.reference, center=True)
    paragraph(doc, f"{project.lead_department.name}：", bold=True)
    kind = KIND_ZH.get(InspectionKind(inspection.kind), inspection.kind)
    scope = "、".join(AREA_ZH.get(Area(a), a) for a in inspection.scope)
    ended = inspection.ended_on.isoformat() if inspection.ended_on else None
    paragraph(
        doc,
        f"{cn_day(inspection.started_on.isoformat())}至{cn_day(ended)}，"
        f"{ISSUER}{'会同' + '、'.join(co) if co else ''}对你单位牵头建设的“{project.name}”（项目代码 {project.code}）"
        f"开展了{kind}，范围：{scope}。发现以下问题，请按期整改并报送整改情况及证明材料：",
    )
    findings = list(inspection.findings.all())
    for i, f in enumerate(findings, start=1):
        area = AREA_ZH.get(Area(f.area), f.area)
        severity = SEVERITY_ZH.get(Severity(f.severity), f.severity)
        due = f"整改期限：{cn_day(f.due_date.isoformat())}前" if f.rectification_required and f.due_date else "无需整改"
        paragraph(doc, f"{i}. 【{area}｜{severity}】{f.description}（{due}）")
    if not findings:
        paragraph(doc, "本次检查未发现问题。")
    issuer = ISSUER + ("、" + "、".join(co) if co else "")
    paragraph(doc, issuer, center=False)
    issued = inspection.issued_at.astimezone(BEIJING).date().isoformat() if inspection.issued_at else None
    paragraph(doc, cn_day(issued))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
