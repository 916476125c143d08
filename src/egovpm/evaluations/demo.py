"""Demo records of the evaluations app: NDRC's provincial-style indicator template (5 first-level
indicators over process, security, data, operational efficiency and usage effect, with
second-level children) and one post-evaluation of a demo project in operation, scored against it
by inspector.ma (assigned as its evaluator). Idempotent; hooked into egovpm.demo (DEMO_APPS)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.documents import services as documents
from egovpm.documents.models import Document
from egovpm.evaluations import scoring, selectors, services
from egovpm.evaluations.models import EvaluationTemplate, PostEvaluation
from egovpm.projects import services as projects
from egovpm.projects.models import Assignment, Project, StageEvent

TEMPLATE_NAME = "电子政务项目后评价指标体系（示例）"
EVALUATED_PROJECT = "2018-000000-14-01-000002"  # 国家企业信用信息公示系统升级工程 (samr, in operation)
NDRC = "ndrc.officer"
EVALUATOR = "inspector.ma"

TEMPLATE = [
    {
        "name": "过程管理",
        "weight": "15",
        "dimension": "efficiency",
        "children": [
            {"name": "前期工作与审批", "weight": "40"},
            {"name": "建设管理与资金使用", "weight": "60"},
        ],
    },
    {
        "name": "安全保障",
        "weight": "15",
        "dimension": "efficiency",
        "children": [
            {"name": "等级保护落实", "weight": "50"},
            {"name": "安全风险评估与整改", "weight": "50"},
        ],
    },
    {
        "name": "数据资源",
        "weight": "20",
        "dimension": "efficiency",
        "children": [
            {"name": "数据目录编制", "weight": "30"},
            {"name": "共享交换与开放", "weight": "40"},
            {"name": "数据质量", "weight": "30"},
        ],
    },
    {
        "name": "运行效率",
        "weight": "20",
        "dimension": "efficiency",
        "children": [
            {"name": "系统可用性", "weight": "50"},
            {"name": "响应性能", "weight": "25"},
            {"name": "运维保障", "weight": "25"},
        ],
    },
    {
        "name": "应用效果",
        "weight": "30",
        "dimension": "effect",
        "children": [
            {"name": "业务覆盖与使用率", "weight": "40"},
            {"name": "用户满意度", "weight": "30"},
            {"name": "社会与经济效益", "weight": "30"},
        ],
    },
]

SCORES = {
    "1.1": 92,
    "1.2": 85,
    "2.1": 90,
    "2.2": 80,
    "3.1": 88,
    "3.2": 76,
    "3.3": 82,
    "4.1": 95,
    "4.2": 86,
    "4.3": 90,
    "5.1": 87,
    "5.2": 83,
    "5.3": 78,
}


def _template() -> EvaluationTemplate:
    existing = EvaluationTemplate.objects.filter(name=TEMPLATE_NAME).order_by("-version").first()
    if existing is not None:
        return existing
    return services.template_add(
        actor=User.objects.get(username=NDRC),
        name=TEMPLATE_NAME,
        indicators=TEMPLATE,
        description="参照省级电子政务项目后评价实践：过程、安全、数据、运行效率、应用效果五个一级指标。",
    )


def _report(project: Project) -> Document:
    found = Document.objects.filter(project=project, category="post_evaluation_report").order_by("uploaded_at").first()
    if found is not None:
        return found
    lead = (
        User.objects.filter(department_id=project.lead_department_id, is_active=True, roles__role="dept_staff")
        .order_by("pk")
        .first()
    )
    assert lead is not None, "the demo project's lead department has staff"
    return documents.document_upload(
        actor=lead,
        project_id=project.pk,
        file=SimpleUploadedFile(
            "后评价报告.pdf", b"%PDF-1.4 demo post-evaluation report", content_type="application/pdf"
        ),
        stage="in_operation",
        category="post_evaluation_report",
        title="项目后评价报告",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )


def load() -> None:
    template = _template()
    project = Project.objects.filter(code=EVALUATED_PROJECT, stage="in_operation").first()
    if project is None or PostEvaluation.objects.filter(project=project).exists():
        return
    snapshot = selectors.approved_goals(project=project)
    if snapshot is None:
        return
    if not Assignment.objects.filter(project=project, user__username=EVALUATOR, task="evaluator").exists():
        projects.assignment_add(
            actor=User.objects.get(username=NDRC), project_id=project.pk, username=EVALUATOR, task="evaluator"
        )
    since = (
        StageEvent.objects.filter(project=project, action="pass_completion_acceptance")
        .order_by("-seq")
        .values_list("effective_date", flat=True)
        .first()
    ) or clock.today()
    evaluated_on = min(clock.today(), since + dt.timedelta(days=300))
    services.post_evaluation_add(
        actor=User.objects.get(username=EVALUATOR),
        project_id=project.pk,
        evaluated_on=evaluated_on,
        organisation="中国国际工程咨询有限公司",
        goals=[
            {
                "goal": goal,
                "rating": "achieved",
                "evidence": "平台运行稳定，覆盖全国市场主体信息公示，见后评价报告第三章。",
            }
            for goal in snapshot.goals
        ],
        conclusion="mostly_successful",
        report=str(_report(project).pk),
        template=str(template.pk),
        scores={leaf.code: SCORES[leaf.code] for leaf in scoring.leaves(template.tree)},
    )
