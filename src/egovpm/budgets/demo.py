"""Demo records of the budgets app, and the evidence its gates need (demo.prepare_evidence).

`prepare` runs before every lifecycle action of the demo walk and of the tests' `advance()` /
`ready_for()`: before approve_preliminary_design it enters a valid estimate if there is none;
before pass_completion_acceptance it files every approved self-approval still unfiled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


def load() -> None:
    pass  # demo records: filled in below once the UI exists
