"""Demo records of the inspections app: one issued inspection of the project in construction
(2022-000000-11-01-000001, inspector.ma) with one closed, one open and one overdue rectification
item, dates relative to today. Idempotent: nothing is added once the project has an inspection."""

from __future__ import annotations

import datetime as dt

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.inspections import services
from egovpm.inspections.models import Inspection, RectificationItem
from egovpm.projects.models import Project

PROJECT = "2022-000000-11-01-000001"
INSPECTOR = "inspector.ma"
NDRC = "ndrc.officer"

FINDINGS = (
    # (area, severity, description, due in days from today); the first is answered and closed
    ("budget_execution", "major", "部分单项工程支出未按批复概算列支，存在超概算风险。", 30),
    ("progress", "minor", "系统联调进度滞后于批复建设工期约两个月。", 20),
    ("archives", "serious", "项目招标采购文件未及时归档，档案不完整。", -10),
)


def load() -> None:
    project = Project.objects.filter(code=PROJECT).first()
    users = {u.username: u for u in User.objects.filter(username__in=[INSPECTOR, NDRC], is_active=True)}
    if project is None or len(users) < 2 or Inspection.objects.filter(project=project).exists():
        return
    lead = (
        User.objects.filter(department_id=project.lead_department_id, is_active=True, roles__role="dept_staff")
        .order_by("pk")
        .first()
    )
    if lead is None:
        return
    today = clock.today()
    day = dt.timedelta(days=1)
    inspection = services.inspection_open(
        actor=users[NDRC],
        project_id=project.pk,
        kind="inspection",
        scope=["progress", "budget_execution", "archives"],
        inspectors=[INSPECTOR],
        co_organisers=["mof"] if _has_department("mof") else None,
        started_on=today - 60 * day,
    )
    for area, severity, description, due_in in FINDINGS:
        services.finding_add(
            actor=users[INSPECTOR],
            inspection_id=inspection.pk,
            area=area,
            description=description,
            severity=severity,
            rectification_required=True,
            due_date=today + due_in * day,
        )
    services.inspection_issue(actor=users[INSPECTOR], inspection_id=inspection.pk, ended_on=today - 45 * day)
    closed = RectificationItem.objects.get(finding__inspection=inspection, finding__seq=1)
    services.rectification_answer(
        actor=lead, item_id=closed.pk, text="已按批复概算调整列支科目，并补充财务说明。", answered_on=today - 5 * day
    )
    services.rectification_close(actor=users[INSPECTOR], item_id=closed.pk, comment="整改到位，同意销号。")


def _has_department(code: str) -> bool:
    from egovpm.accounts.models import Department

    return Department.objects.filter(code=code).exists()
