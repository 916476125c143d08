"""Demo records of expert review, and the evidence the gates C10.1 and C10.2 need.

`load()` (idempotent): an active expert pool with specialties, and an open panel — some opinions in —
for a project in needs analysis. Concluded reviews of the projects at or past the proposal come from
`prepare()`, which the demo walk calls before every lifecycle action.

`prepare(project=, action=, day=)` (idempotent), also used by the tests' `ready_for()`/`advance()`:
- before `submit_needs_analysis` of a joint central–local project: the local participants are
  recorded as co-authors of the needs-analysis report (C10.2);
- before `submit_proposal`: the needs-analysis report and the proposal are on file, and a panel of
  at least `min_panel_size` experts without a conflict of interest has concluded (not `reject`)
  (C10.1). Experts are created when the pool has too few without a conflict.
Evidence is dated on or before `day` (the clock is set back while it is recorded)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from egovpm.accounts import services as accounts
from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.core import clock
from egovpm.documents.services import document_upload
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project
from egovpm.reviews import selectors, services
from egovpm.reviews.choices import ReviewStatus
from egovpm.reviews.models import ExpertProfile, ExpertReview, NeedsAnalysis

DEMO_PASSWORD = "Demo-egovpm-2026"  # the demo data set's published password (egovpm/demo.py)

# username, department, display name, title, specialties — the first three exist in the core demo
DEMO_EXPERTS = [
    ("expert.liu", "ciecc", "刘教授（政务应用）", "教授", ["gov_apps", "data_resources"]),
    ("expert.he", "ciecc", "何研究员（网络与安全）", "研究员", ["network_security"]),
    ("expert.xu", "ciecc", "徐高工（投资概算）", "正高级工程师", ["investment", "gov_apps"]),
    ("expert.zhou", "ciecc", "周研究员（数据资源）", "研究员", ["data_resources", "archives"]),
    ("expert.sun", "ciecc", "孙教授（政务应用）", "教授", ["gov_apps", "investment"]),
    # works for a ministry that leads projects: the draw leaves him out of those (conflict of interest)
    ("expert.gao", "mohrss", "高工（人社部信息中心）", "高级工程师", ["gov_apps", "network_security"]),
]

OPINIONS = [
    (
        "approve",
        "需求分析报告对业务现状、存在问题和建设需求分析较为全面，业务需求、信息量和系统功能需求描述清晰，"
        "与部门职能和国家电子政务总体框架相衔接，同意该需求分析报告。",
    ),
    (
        "approve",
        "报告已按等级保护要求提出信息安全需求，网络部署拟依托国家电子政务外网，符合发改高技〔2008〕2544号文要求。"
        "建议在项目建议书中进一步细化数据共享需求。",
    ),
    (
        "revise",
        "建设需求总体合理。投资估算依据需进一步补充，部分单项工程的需求量测算依据不足，建议修改完善后报送项目建议书。",
    ),
]
CONCLUSION = (
    "approve",
    "专家组审阅了需求分析报告并听取了建设部门汇报，认为报告对业务需求、信息资源需求、系统功能和性能需求以及"
    "信息安全需求分析较为全面，建设目标明确，同意通过需求分析评议。请建设部门按专家意见修改完善后编制项目建议书。",
)


@contextmanager
def _recorded_on(day: dt.date) -> Iterator[None]:
    """Record evidence as of `day` (09:00 Beijing) when that lies in the past: a demo and a test
    history spans years, and the gates' `as_of` judgement looks at the evidence's own dates."""
    if day >= clock.today():
        yield
        return
    previous = clock._override  # the tests' pinned instant, or None
    # in UTC, like every stored instant: the audit chain hashes `at.isoformat()` as it reads back
    clock.set_now(dt.datetime.combine(day, dt.time(9, 0), tzinfo=clock.BEIJING).astimezone(dt.UTC))
    try:
        yield
    finally:
        clock.set_now(previous)


def _lead_user(project: Project) -> User:
    user = (
        User.objects.filter(
            department_id=project.lead_department_id,
            is_active=True,
            roles__role__in=(Role.DEPT_STAFF, Role.DEPT_LEADER),
        )
        .order_by("username")
        .first()
    )
    if user is not None:
        return user
    return accounts.user_add(
        actor=None,
        username=f"{project.lead_department.code}.staff.auto",
        department_code=project.lead_department.code,
        roles=[Role.DEPT_STAFF],
        password=_password(),
        display_name=f"{project.lead_department.name}经办人（自动创建）",
    )


def _ndrc_user() -> User:
    user = User.objects.filter(is_active=True, roles__role=Role.NDRC_OFFICER).order_by("username").first()
    if user is not None:
        return user
    department = Department.objects.filter(kind="ndrc").first()
    if department is None:
        department = accounts.department_add(actor=None, code="ndrc", name="国家发展和改革委员会", kind="ndrc")
    return accounts.user_add(
        actor=None,
        username="ndrc.officer.auto",
        department_code=department.code,
        roles=[Role.NDRC_OFFICER],
        password=_password(),
        display_name="发改委经办人（自动创建）",
    )


def _password() -> str:
    # helper accounts are not meant to log in: a strong random password nobody knows
    return f"Aa1!{secrets.token_urlsafe(18)}"


def _ensure_demo_pool() -> None:
    """The demo's expert pool, when the demo's departments and experts exist."""
    if not User.objects.filter(username="expert.liu").exists():
        return
    ndrc = _ndrc_user()
    for username, department, display, title, specialties in DEMO_EXPERTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            if not Department.objects.filter(code=department).exists():
                continue
            user = accounts.user_add(
                actor=None,
                username=username,
                department_code=department,
                roles=[Role.EXPERT],
                password=DEMO_PASSWORD,
                display_name=display,
                email=f"{username}@demo.invalid",
            )
        if not ExpertProfile.objects.filter(user=user).exists():
            services.expert_profile_set(actor=ndrc, username=username, specialties=specialties, title=title)


def _eligible_pool(project: Project) -> list[str]:
    return [
        p.user.username
        for p in ExpertProfile.objects.filter(active=True, user__is_active=True).select_related(
            "user", "user__department"
        )
        if p.user.has_role(Role.EXPERT) and not services.conflict_reason(p.user, project)
    ]


def _ensure_panel_candidates(project: Project, size: int) -> None:
    """Create pool experts (department `expert-pool`, an agency) until `size` have no conflict."""
    missing = size - len(_eligible_pool(project))
    if missing <= 0:
        return
    department = Department.objects.filter(code="expert-pool").first()
    if department is None:
        accounts.department_add(
            actor=None, code="expert-pool", name="评审专家库（自动创建）", kind="agency", number="99"
        )
    ndrc = _ndrc_user()
    n = 0
    while missing > 0:
        n += 1
        username = f"auto.expert{n}"
        user = User.objects.filter(username=username).first()
        if user is None:
            accounts.user_add(
                actor=None,
                username=username,
                department_code="expert-pool",
                roles=[Role.EXPERT],
                password=_password(),
                display_name=f"评审专家{n}（自动创建）",
            )
        elif ExpertProfile.objects.filter(user=user, active=True).exists():
            continue
        services.expert_profile_set(actor=ndrc, username=username, specialties=["gov_apps"], active=True)
        missing -= 1


def _upload(project: Project, category: str, stage: str, title: str, body: str) -> None:
    if project.documents.filter(category=category).exists():
        return
    document_upload(
        actor=_lead_user(project),
        project_id=project.pk,
        file=SimpleUploadedFile(f"{category}.txt", body.encode(), content_type="text/plain; charset=utf-8"),
        stage=stage,
        category=category,
        title=title,
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )


def _last_event_day(project: Project) -> dt.date | None:
    event = project.events.order_by("-seq").first()
    return event.effective_date if event else None


def _concluded_ok(project: Project) -> bool:
    latest = (
        ExpertReview.objects.filter(project=project, status=ReviewStatus.CONCLUDED).order_by("-concluded_at").first()
    )
    return latest is not None and latest.conclusion != "reject"


def _run_review(project: Project, *, day: dt.date, opinions: int, conclude: bool) -> ExpertReview:
    """Form a drawn panel (reproducible seed), record `opinions` opinions, conclude if asked."""
    ndrc = _ndrc_user()
    size = selectors.min_panel_size(project.regime)
    _ensure_panel_candidates(project, size)
    review = ExpertReview.objects.filter(project=project, status=ReviewStatus.OPEN).first()
    if review is None:
        review = services.review_form(
            actor=ndrc,
            project_id=project.pk,
            draw=services.DrawRequest(size=size),
            due_on=day + dt.timedelta(days=14),
        )
    members = list(review.members.select_related("expert").order_by("position"))
    for i, m in enumerate(members[:opinions]):
        if not review.opinions.filter(expert=m.expert).exists():
            recommendation, text = OPINIONS[i % len(OPINIONS)]
            services.opinion_give(actor=m.expert, review_id=review.pk, recommendation=recommendation, text=text)
    if conclude:
        review = services.review_conclude(actor=ndrc, review_id=review.pk, conclusion=CONCLUSION[0], text=CONCLUSION[1])
    return review


def prepare(*, project: Project, action: str, day: dt.date) -> None:
    services.specialty_seed_defaults()
    project.refresh_from_db()
    if action == "submit_needs_analysis" and project.joint_central_local and project.stage in services.CO_AUTHOR_STAGES:
        local = [d.code for d in project.participating_departments.all() if d.kind == "local"]
        record = NeedsAnalysis.objects.filter(project=project).first()
        recorded = set(record.co_authors.values_list("code", flat=True)) if record else set()
        if local and not set(local) <= recorded:
            with _recorded_on(day), transaction.atomic():
                services.co_authors_set(
                    actor=_lead_user(project), project_id=project.pk, departments=sorted(recorded | set(local))
                )
    if action == "submit_proposal" and project.stage == Stage.NEEDS_ANALYSIS:
        start = max(day - dt.timedelta(days=14), _last_event_day(project) or day)
        middle = max(day - dt.timedelta(days=7), start)
        with transaction.atomic():
            _ensure_demo_pool()
            with _recorded_on(start):
                _upload(
                    project,
                    "needs_analysis_report",
                    Stage.NEEDS_ANALYSIS,
                    f"{project.name}需求分析报告",
                    f"{project.name}需求分析报告\n一、业务现状与存在问题\n二、建设需求\n三、信息安全需求\n",
                )
            if not _concluded_ok(project):
                with _recorded_on(start):
                    _run_review(project, day=start, opinions=0, conclude=False)
                with _recorded_on(middle):
                    _run_review(project, day=start, opinions=selectors.min_panel_size(project.regime), conclude=False)
                with _recorded_on(day):
                    _run_review(project, day=start, opinions=selectors.min_panel_size(project.regime), conclude=True)
            with _recorded_on(day):
                _upload(
                    project,
                    "project_proposal",
                    Stage.NEEDS_ANALYSIS,
                    f"{project.name}项目建议书",
                    f"{project.name}项目建议书\n附件：需求分析报告、专家评议意见\n",
                )


# The needs-analysis project of the demo with an open panel (two opinions in, one to come).
OPEN_REVIEW_PROJECT = "2026-000000-12-01-000002"  # 生态环境执法业务协同系统


@transaction.atomic
def load() -> None:
    services.specialty_seed_defaults()
    _ensure_demo_pool()
    project = Project.objects.filter(code=OPEN_REVIEW_PROJECT, stage=Stage.NEEDS_ANALYSIS).first()
    if project is None or project.expert_reviews.exists():
        return
    last = _last_event_day(project) or clock.today()
    start = max(last, clock.today() - dt.timedelta(days=10))
    with _recorded_on(start):
        _upload(
            project,
            "needs_analysis_report",
            Stage.NEEDS_ANALYSIS,
            f"{project.name}需求分析报告",
            f"{project.name}需求分析报告\n一、业务现状与存在问题\n二、建设需求\n三、信息安全需求\n",
        )
        review = _run_review(project, day=start, opinions=0, conclude=False)
    with _recorded_on(max(start, clock.today() - dt.timedelta(days=3))):
        _run_review(project, day=start, opinions=2, conclude=False)
    review.refresh_from_db()
