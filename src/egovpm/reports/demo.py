"""Demo records of progress reports: for the demo projects that are (or were) in construction, a few
submitted reports — on time, late, one returned for revision, some acknowledged by NDRC and MoF —
and the rest left overdue, so the portfolio, the 待办 and C4.1/C4.2 have something to show.

Idempotent: a project that already has a submission is left alone."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.projects.models import Project
from egovpm.reports import selectors, services
from egovpm.reports.models import ReportSubmission

BJ = clock.BEIJING

# project code → [(period, submitted at (Beijing), returned at + comment, acknowledged by NDRC / MoF at)]
PLAN: dict[
    str, list[tuple[str, dt.datetime, tuple[dt.datetime, str] | None, dt.datetime | None, dt.datetime | None]]
] = {
    "2022-000000-11-01-000001": [
        (
            "2023-H1",
            dt.datetime(2023, 7, 26, 15, 20, tzinfo=BJ),
            None,
            dt.datetime(2023, 7, 28, 9, 5, tzinfo=BJ),
            dt.datetime(2023, 8, 2, 10, 30, tzinfo=BJ),
        ),
        ("2023", dt.datetime(2024, 2, 6, 11, 0, tzinfo=BJ), None, dt.datetime(2024, 2, 8, 9, 0, tzinfo=BJ), None),
        (
            "2024-H1",
            dt.datetime(2024, 7, 30, 17, 45, tzinfo=BJ),
            (
                dt.datetime(2024, 8, 6, 10, 0, tzinfo=BJ),
                "招标投标部分未列明中标单位和合同金额，概预算执行情况与支出台账不一致，请补充修改后重新报送。",
            ),
            None,
            None,
        ),
        (
            "2024",
            dt.datetime(2025, 1, 22, 16, 0, tzinfo=BJ),
            None,
            dt.datetime(2025, 1, 24, 9, 30, tzinfo=BJ),
            dt.datetime(2025, 1, 27, 14, 0, tzinfo=BJ),
        ),
    ],
    "2023-440000-21-01-000001": [
        (
            "2024-H1",
            dt.datetime(2024, 7, 18, 10, 0, tzinfo=BJ),
            None,
            dt.datetime(2024, 7, 19, 9, 0, tzinfo=BJ),
            dt.datetime(2024, 7, 22, 11, 0, tzinfo=BJ),
        ),
        ("2024", dt.datetime(2025, 1, 20, 10, 0, tzinfo=BJ), None, None, None),
        ("2025-H1", dt.datetime(2025, 8, 4, 9, 30, tzinfo=BJ), None, None, None),
    ],
}

PROGRESS = {
    "half_year": "上半年，项目按批复的初步设计方案推进，完成了{done}，阶段性目标基本实现。",
    "annual": "全年完成了{done}，年度建设任务总体按计划完成。",
}
DONE = [
    "业务应用系统需求细化和总体设计",
    "数据资源目录梳理和共享交换接口开发",
    "基础设施部署和安全保障体系建设",
    "试点地区上线试运行",
]


@contextlib.contextmanager
def _at(instant: dt.datetime) -> Iterator[None]:
    """Record a past decision at its real time (demo only): the services take the clock's now."""
    previous = clock._override
    clock.set_now(instant)
    try:
        yield
    finally:
        clock.set_now(previous)


def _first(department_id: int | None, *roles: str) -> User | None:
    qs = User.objects.filter(is_active=True, roles__role__in=roles)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("pk").first()


def load() -> None:
    ndrc, mof = _first(None, "ndrc_officer"), _first(None, "mof_viewer")
    for code, plan in PLAN.items():
        project = Project.objects.filter(code=code).select_related("lead_department").first()
        if project is None or ReportSubmission.objects.filter(project=project).exists():
            continue
        staff = _first(project.lead_department_id, "dept_staff", "dept_leader")
        if staff is None:
            continue
        codes = {o.code for o in selectors.report_obligations_for(project=project)}
        for i, (period, at, returned, ndrc_at, mof_at) in enumerate(plan):
            if period not in codes:
                continue
            p = selectors.period_parse(period)
            draft = selectors.report_prefill(project=project, period=p, today=min(p.due, clock.today()))
            # the demo writes its own words where the pre-fill prompts for them (【待填写：…】)
            sections = {k: selectors.without_placeholders(v) for k, v in draft["sections"].items()}
            sections["content"] = sections["content"] or f"{p.label_zh}完成业务应用系统开发和联调测试。"
            sections["budget_execution"] = sections["budget_execution"] or "概预算执行情况见支出台账。"
            sections["progress"] = (
                PROGRESS[p.kind].format(done="、".join(DONE[: 2 + i % 3])) + "\n" + sections["progress"]
            )
            sections["tendering"] = (
                f"{p.label_zh}完成应用系统开发、数据资源建设两个包的公开招标，"
                "中标单位分别为中国软件与技术服务股份有限公司、太极计算机股份有限公司，合同金额合计2,860万元。"
            )
            sections["problems"] = (
                "跨部门数据共享协调难度较大，部分地方接口改造进度滞后。下一步将加强统筹调度，确保按期完成。"
            )
            services.report_submit(
                actor=staff, project_id=project.pk, period=period, sections=sections, submitted_at=at
            )
            if returned is not None and ndrc is not None:
                with _at(returned[0]):
                    services.report_return(actor=ndrc, project_id=project.pk, period=period, comment=returned[1])
            for who, when in ((ndrc, ndrc_at), (mof, mof_at)):
                if who is not None and when is not None:
                    with _at(when):
                        services.report_acknowledge(actor=who, project_id=project.pk, period=period)


def prepare(*, project: Project, action: str, day: dt.date) -> None:
    """No lifecycle action is gated by C4.1/C4.2: nothing to record before any action."""
    return None
