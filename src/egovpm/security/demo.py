"""Demo records of the security app, and the evidence its gates need before a lifecycle action
(used by the demo walk and by the tests' `advance()` / `ready_for()` through demo.prepare_evidence)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from egovpm.accounts.models import User
from egovpm.core import clock
from egovpm.projects.models import Project
from egovpm.security import services
from egovpm.security.models import InformationSystem, RiskAssessment

DESIGN_ACTIONS = ("submit_proposal", "approve_preliminary_design")


def _lead_user(project: Project) -> User | None:
    users = User.objects.filter(department_id=project.lead_department_id, is_active=True)
    return (
        users.filter(roles__role="dept_staff").order_by("pk").first()
        or users.filter(roles__role="dept_leader").order_by("pk").first()
    )


def _compliant_system(project: Project, actor: User, day: dt.date) -> None:
    services.system_create(
        actor=actor,
        project_id=project.pk,
        data={
            "name": f"{project.name}业务应用系统",
            "purpose": "public_service",
            "network": "gov_extranet",
            "is_new": True,
            "protection_level": 2,
            "protection_in_needs_analysis": True,
            "protection_in_design": True,
            "filing_number": f"{day.year}-GA-{str(project.pk)[:6].upper()}",
            "filing_date": min(day, clock.today()),
        },
    )


def prepare(*, project: Project, action: str, day: dt.date) -> None:
    """Before `action`: C6.1/C9.1 need a graded system covered by the needs analysis and the design
    (on the extranet, so no exception is needed); C6.2 a risk assessment dated within trial operation
    (on or before `day`, the acceptance's effective date). Idempotent."""
    if action in DESIGN_ACTIONS:
        if InformationSystem.objects.filter(project=project).exists():
            return
        actor = _lead_user(project)
        if actor is not None:
            _compliant_system(project, actor, day)
    elif action == "pass_preliminary_acceptance":
        start = (
            project.events.filter(action="start_trial_operation")
            .order_by("-seq")
            .values_list("effective_date", flat=True)
            .first()
        )
        if start is None or start > day:
            return
        if RiskAssessment.objects.filter(project=project, assessed_on__gte=start, assessed_on__lte=day).exists():
            return
        actor = _lead_user(project)
        if actor is None:
            return
        services.risk_assessment_record(
            actor=actor,
            project_id=project.pk,
            assessed_on=min(day, clock.today()),
            assessor="国家信息技术安全研究中心",
            summary="依据 GB/T 20984 对试运行系统开展信息安全风险评估，未发现高风险问题。",
            residual_risks="部分中低风险项已制定整改计划，纳入运行维护。",
        )


# ---------------------------------------------------------------- demo data set

# project code → systems: (name, purpose, network, is_new, level, tier, filing, evaluation, migrate by)
SYSTEMS: dict[str, list[tuple[Any, ...]]] = {
    "2022-000000-11-01-000001": [
        ("社会保险公共服务门户", "public_service", "gov_extranet", True, 3, "", True, True, None),
        ("社保基金内部监管系统", "internal_office", "gov_intranet", True, 2, "", True, False, None),
    ],
    "2019-330000-22-01-000001": [
        ("浙江政务服务网原有移动门户", "public_service", "internet", False, 2, "", True, False, "2027-06-30"),
    ],
    "2021-000000-12-01-000001": [
        ("生态环境监测数据共享交换系统", "internal_office", "gov_intranet", True, 3, "", True, True, None),
    ],
    "2023-000000-13-01-000002": [
        ("野外监测站点感知专网", "internal_office", "dedicated_new", True, 2, "", False, False, None),
    ],
    "2024-000000-13-01-000001": [
        ("自然资源涉密数据管理系统", "internal_office", "gov_intranet", True, None, "secret", False, False, None),
    ],
}
EXCEPTIONS = {
    "野外监测站点感知专网": "野外监测站点位于政务外网尚未覆盖的偏远地区，经论证需建设专用感知网络；"
    "待政务外网延伸覆盖后并入（发改委同意例外）。",
}


def load() -> None:
    """Idempotent: systems for demo projects (levels 2–3, a classified one, an NDRC exception, an
    existing public-service system with a migration plan) and the trial-operation risk assessment."""
    ndrc = User.objects.filter(roles__role="ndrc_officer", is_active=True).order_by("pk").first()
    today = clock.today()
    for code, systems in SYSTEMS.items():
        project = Project.objects.filter(code=code).first()
        if project is None:
            continue
        actor = _lead_user(project)
        if actor is None:
            continue
        existing = set(InformationSystem.objects.filter(project=project).values_list("name", flat=True))
        for name, purpose, network, is_new, level, tier, filed, evaluated, migrate in systems:
            if name in existing:
                continue
            data: dict[str, object] = {
                "name": name,
                "purpose": purpose,
                "network": network,
                "is_new": is_new,
                "protection_level": level,
                "classified_tier": tier,
                "protection_in_needs_analysis": True,
                "protection_in_design": project.stage
                not in ("draft", "needs_analysis", "proposal", "feasibility_study"),
            }
            if filed:
                data.update(
                    filing_number=f"11010{len(name):02d}-{code[-6:]}", filing_date=today - dt.timedelta(days=200)
                )
            if evaluated:
                data.update(evaluation_date=today - dt.timedelta(days=90), evaluation_result="basically_conforms")
            if migrate:
                data["migration_target_date"] = dt.date.fromisoformat(migrate)
            system = services.system_create(actor=actor, project_id=project.pk, data=data)
            if name in EXCEPTIONS and ndrc is not None:
                services.system_grant_exception(actor=ndrc, system_id=system.pk, reason=EXCEPTIONS[name])
    trial = Project.objects.filter(code="2021-000000-12-01-000001", stage="trial_operation").first()
    if trial is not None and not RiskAssessment.objects.filter(project=trial).exists():
        start = trial.events.filter(action="start_trial_operation").values_list("effective_date", flat=True).first()
        actor = _lead_user(trial)
        if start is not None and actor is not None:
            services.risk_assessment_record(
                actor=actor,
                project_id=trial.pk,
                assessed_on=min(start + dt.timedelta(days=40), today),
                assessor="中国信息安全测评中心",
                summary="对试运行环境开展信息安全风险评估：资产识别 126 项，威胁 38 项，脆弱性 21 项。",
                residual_risks="2 项中风险（日志留存不足 180 天、部分接口未双向认证）已列入整改计划。",
            )
