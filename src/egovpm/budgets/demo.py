"""Demo records of the budgets app, and the evidence its gates need (demo.prepare_evidence).

`prepare` runs before every lifecycle action of the demo walk and of the tests' `advance()` /
`ready_for()`: before approve_preliminary_design it enters a valid estimate if there is none;
before pass_completion_acceptance it files every approved self-approval still unfiled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from egovpm.accounts.models import User
from egovpm.budgets.choices import AdjustmentStatus, Route
from egovpm.budgets.models import Adjustment, Estimate
from egovpm.budgets.services import LineIn, adjustment_file, estimate_put
from egovpm.core import clock
from egovpm.projects.models import Project

# A typical central e-government project's estimate (万元 × 10 000 = yuan): sub-projects,
# reserve (预备费) and other costs as lines of their own (domain.md §5).
STANDARD_LINES = (
    ("01", "应用系统建设", Decimal("0.40")),
    ("02", "数据资源建设", Decimal("0.15")),
    ("03", "基础设施（硬件及网络）", Decimal("0.20")),
    ("04", "安全保障体系", Decimal("0.10")),
    ("05", "标准规范与运维保障", Decimal("0.05")),
    ("06", "其他费用（监理、测评、培训等）", Decimal("0.06")),
    ("07", "预备费", Decimal("0.04")),
)


def standard_lines(total: Decimal) -> list[LineIn]:
    """The standard split of `total`; the last line takes the rounding so the lines add up exactly."""
    lines = []
    rest = total
    for i, (code, name, share) in enumerate(STANDARD_LINES):
        amount = rest if i == len(STANDARD_LINES) - 1 else (total * share).quantize(Decimal("0.01"))
        rest -= amount
        lines.append(LineIn(code, name, amount))
    return lines


def lead_user(project: Project, *roles: str) -> User | None:
    qs = User.objects.filter(department_id=project.lead_department_id, is_active=True)
    for role in roles or ("dept_staff", "dept_leader"):
        user = qs.filter(roles__role=role).order_by("pk").first()
        if user is not None:
            return user
    return None


def _ensure_estimate(project: Project, total: Decimal = Decimal("48000000.00")) -> None:
    estimate = Estimate.objects.filter(project=project).first()
    if estimate is not None:
        lines_sum = sum((li.amount for li in estimate.lines.all()), Decimal(0))
        if estimate.baseline_id or (lines_sum == estimate.total and lines_sum > 0):
            return
    actor = lead_user(project)
    if actor is None:
        return
    estimate_put(actor=actor, project_id=project.pk, total=total, items=standard_lines(total))


def _approval_document(project: Project, actor: User, adjustment: Adjustment) -> str:
    from django.conf import settings

    from egovpm.documents.services import document_upload

    content = f"{project.name} 概算调整批复（第{adjustment.number}号）\n{adjustment.description}\n".encode()
    document = document_upload(
        actor=actor,
        project_id=project.pk,
        file=SimpleUploadedFile(f"adjustment-{adjustment.number}.pdf", b"%PDF-1.4\n" + content),
        stage=project.stage,
        category="adjustment_approval",
        title=f"概算调整批复文件（第{adjustment.number}号）",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )
    return str(document.pk)


def _file_all(project: Project, day: dt.date) -> None:
    unfiled = Adjustment.objects.filter(
        project=project, status=AdjustmentStatus.APPROVED, route=Route.SELF_APPROVAL, filed_on__isnull=True
    )
    for adjustment in unfiled:
        actor = lead_user(project)
        if actor is None or adjustment.decided_on is None:
            continue
        filed_on = min(max(day, adjustment.decided_on), clock.today())
        adjustment_file(
            actor=actor,
            adjustment_id=adjustment.pk,
            filed_on=filed_on,
            document_id=_approval_document(project, actor, adjustment),
            reference=f"备案-{adjustment.number:03d}",
        )


def prepare(*, project: Project, action: str, day: dt.date) -> None:
    if action == "approve_preliminary_design":
        _ensure_estimate(project)
    elif action == "pass_completion_acceptance":
        _file_all(project, day)


# code of the demo project → (adjustment requests, spending) — amounts in yuan.
DEMO_PROJECTS: dict[str, dict[str, Any]] = {
    # 全国社会保险公共服务平台建设工程 (construction): one self-approval filed, one not yet filed,
    # one NDRC-route request pending (a new sub-project beyond the approved total).
    "2022-000000-11-01-000001": {
        "adjustments": [
            (
                {"01": "16800000.00", "02": "9600000.00"},
                "optimization",
                "应用系统采用统一身份认证和电子证照共享组件，节省开发投资，相应增加数据资源整合投资。",
                "approve_file",
            ),
            (
                {"03": "8160000.00", "05": "3360000.00"},
                "schedule",
                "按照批复的建设规划调整硬件分批采购进度，部分投资用于标准规范编制。",
                "approve",
            ),
            (
                {"08": ("社会保险移动服务渠道", "3500000.00")},
                "new_policy",
                "落实国务院关于推进政务服务“跨省通办”的新部署，增加移动服务渠道建设内容。",
                "pending",
            ),
        ],
        "spending": [
            ("01", "2023-06-28", "3200000.00", "记-2023-06-118", "应用系统一期首付款"),
            ("03", "2023-09-15", "4500000.00", "记-2023-09-042", "服务器及存储设备"),
            ("02", "2024-03-20", "2100000.00", "记-2024-03-077", "数据治理服务"),
            ("04", "2024-11-05", "1800000.00", "记-2024-11-013", "等级保护安全设备"),
            ("01", "2025-07-30", "5600000.00", "记-2025-07-201", "应用系统二期进度款"),
            ("06", "2026-04-18", "950000.00", "记-2026-04-066", "监理及测评费用"),
        ],
    },
    # 国家生态环境监测大数据平台 (trial operation): a self-approval waiting for the leader.
    "2021-000000-12-01-000001": {
        "adjustments": [
            (
                {"03": "8900000.00", "02": "7900000.00"},
                "optimization",
                "监测数据采用政务云托管，减少自建机房设备投资，增加数据资源建设。",
                "pending",
            ),
        ],
        "spending": [
            ("01", "2022-05-10", "8000000.00", "记-2022-05-031", "监测业务系统开发"),
            ("03", "2022-08-22", "9100000.00", "记-2022-08-090", "数据中心设备"),
            ("02", "2023-02-14", "5200000.00", "记-2023-02-018", "监测数据资源整合"),
            ("04", "2023-06-30", "3900000.00", "记-2023-06-144", "安全保障体系"),
        ],
    },
    # 广东省数字政府政务服务一体化平台 (construction): spending ahead of approval on one line (C3.6).
    "2023-440000-21-01-000001": {
        "adjustments": [],
        "spending": [
            ("04", "2025-03-12", "3600000.00", "记-2025-03-055", "安全设备采购"),
            ("04", "2026-02-08", "1500000.00", "记-2026-02-019", "安全服务（超出批复金额，待调整）"),
            ("01", "2025-09-01", "6000000.00", "记-2025-09-008", "一体化平台开发"),
        ],
    },
}


def _demo_adjustments(project: Project, spec: list[tuple[dict[str, object], str, str, str]]) -> None:
    from egovpm.budgets.services import adjustment_create, adjustment_decide

    staff, leader = lead_user(project, "dept_staff"), lead_user(project, "dept_leader")
    if staff is None or Adjustment.objects.filter(project=project).exists():
        return
    for items, reason, description, outcome in spec:
        lines = []
        for code, value in items.items():
            name, amount = value if isinstance(value, tuple) else ("", value)
            lines.append(LineIn(code, str(name), Decimal(str(amount))))
        adjustment = adjustment_create(
            actor=staff,
            project_id=project.pk,
            items=lines,
            goals_unchanged=True,
            reason=reason,
            description=description,
        )
        if outcome in ("approve", "approve_file") and leader is not None:
            adjustment_decide(actor=leader, adjustment_id=adjustment.pk, decision="approve", comment="同意调整。")
            if outcome == "approve_file":
                adjustment_file(
                    actor=staff,
                    adjustment_id=adjustment.pk,
                    filed_on=clock.today(),
                    document_id=_approval_document(project, staff, adjustment),
                    reference=f"人社信息〔{clock.today().year}〕{adjustment.number}号",
                )


def _demo_spending(project: Project, rows: list[tuple[str, str, str, str, str]]) -> None:
    from egovpm.budgets.models import Expenditure
    from egovpm.budgets.services import ExpenditureIn, expenditure_add

    staff = lead_user(project, "dept_staff")
    if staff is None or Expenditure.objects.filter(project=project).exists():
        return
    for code, day, amount, voucher, note in rows:
        expenditure_add(
            actor=staff,
            project_id=project.pk,
            row=ExpenditureIn(code, dt.date.fromisoformat(day), Decimal(amount), voucher, note),
        )


def load() -> None:
    """Estimates for the demo projects at or past preliminary design (the walk's prepare() made
    those that passed the approval), a draft for the one still in preliminary design, and a few
    adjustments and expenditures. Idempotent: what exists is left alone."""
    for project in Project.objects.filter(stage="preliminary_design"):
        if not Estimate.objects.filter(project=project).exists():
            _ensure_estimate(project, Decimal("36500000.00"))
    for code, spec in DEMO_PROJECTS.items():
        demo_project = Project.objects.filter(code=code).first()
        if demo_project is None or not Estimate.objects.filter(project=demo_project, baseline__isnull=False).exists():
            continue
        _demo_adjustments(demo_project, spec["adjustments"])
        _demo_spending(demo_project, spec["spending"])
