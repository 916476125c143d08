"""Demo records of the archives app (filed and archived documents, archive acceptances) and the
evidence C7.1 needs before completion acceptance (demo walk and tests, via demo.prepare_evidence)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from egovpm.accounts import services as accounts
from egovpm.accounts.models import Department, User
from egovpm.archives import services
from egovpm.archives.models import ArchiveAcceptance
from egovpm.core import clock
from egovpm.documents import services as documents
from egovpm.documents.models import Document
from egovpm.projects import services as projects
from egovpm.projects.models import Assignment, Project

AUTO_ARCHIVES_DEPT = "auto-archives"
AUTO_ARCHIVIST = "archivist.auto"


def _lead_user(project: Project) -> User | None:
    users = User.objects.filter(department_id=project.lead_department_id, is_active=True)
    return (
        users.filter(roles__role="dept_staff").order_by("pk").first()
        or users.filter(roles__role="dept_leader").order_by("pk").first()
    )


def _ndrc() -> User:
    ndrc = User.objects.filter(roles__role="ndrc_officer", is_active=True).order_by("pk").first()
    if ndrc is not None:
        return ndrc
    department = Department.objects.filter(kind="ndrc").order_by("pk").first()
    if department is None:
        department = accounts.department_add(actor=None, code="auto-ndrc", name="国家发展和改革委员会", kind="ndrc")
    return accounts.user_add(
        actor=None,
        username="ndrc.auto",
        department_code=department.code,
        roles=["ndrc_officer"],
        password=f"Auto-{secrets.token_urlsafe(16)}-9a",
        display_name="发改委项目处（自动创建）",
    )


def _archivist_for(project: Project) -> User:
    """An archivist assigned to the project (not of its lead department); assign or create one."""
    assigned = (
        Assignment.objects.filter(project=project, task="archivist", user__is_active=True)
        .exclude(user__department_id=project.lead_department_id)
        .select_related("user")
        .order_by("pk")
    )
    for a in assigned:
        if a.user.has_role("archivist"):
            return a.user
    candidate = (
        User.objects.filter(roles__role="archivist", is_active=True, department__kind="archives")
        .exclude(department_id=project.lead_department_id)
        .order_by("pk")
        .first()
    )
    if candidate is None:
        department = Department.objects.filter(kind="archives").order_by("pk").first()
        if department is None:
            department = accounts.department_add(
                actor=None, code=AUTO_ARCHIVES_DEPT, name="档案行政管理部门（自动创建）", kind="archives"
            )
        candidate = User.objects.filter(username=AUTO_ARCHIVIST).first() or accounts.user_add(
            actor=None,
            username=AUTO_ARCHIVIST,
            department_code=department.code,
            roles=["archivist"],
            password=f"Auto-{secrets.token_urlsafe(16)}-9a",
            display_name="档案验收员（自动创建）",
        )
    if not Assignment.objects.filter(project=project, user=candidate, task="archivist").exists():
        projects.assignment_add(actor=_ndrc(), project_id=project.pk, username=candidate.username, task="archivist")
    return candidate


def prepare(*, project: Project, action: str, day: dt.date) -> None:
    """Before completion acceptance (C7.1): a passed archive acceptance, dated on or before `day`,
    by an archivist assigned to the project. Idempotent."""
    if action != "pass_completion_acceptance":
        return
    latest = (
        ArchiveAcceptance.objects.filter(project=project, accepted_on__lte=day)
        .order_by("accepted_on", "recorded_at")
        .last()
    )
    if latest is not None and latest.result == "passed":
        return
    if project.code in _demo_codes():
        _file_demo_documents(project)  # the demo's acceptance then sees a complete archive
    archivist = _archivist_for(project)
    services.archive_acceptance_record(
        actor=archivist,
        project_id=project.pk,
        accepted_on=min(day, clock.today()),
        organizer=archivist.department.name if archivist.department else "档案行政管理部门",
        result="passed",
        opinion="项目文件材料收集齐全、整理规范、保管安全，符合《国家电子政务工程建设项目档案管理暂行办法》要求，同意通过档案验收。",
    )


# ---------------------------------------------------------------- demo data set

# (stage, category, title) — the filing scope of a project that went all the way
DEMO_FILES = [
    ("needs_analysis", "needs_analysis_report", "需求分析报告"),
    ("proposal", "project_proposal", "项目建议书"),
    ("proposal", "approval_document", "关于项目建议书的批复"),
    ("feasibility_study", "feasibility_study_report", "可行性研究报告"),
    ("feasibility_study", "approval_document", "关于可行性研究报告的批复"),
    ("preliminary_design", "preliminary_design", "初步设计方案和投资概算"),
    ("preliminary_design", "approval_document", "关于初步设计和投资概算的批复"),
    ("construction", "tender_documents", "招标文件及评标报告"),
    ("construction", "contract", "系统集成合同"),
    ("construction", "progress_report", "年度建设情况报告"),
    ("trial_operation", "trial_operation_report", "试运行报告"),
    ("trial_operation", "risk_assessment_report", "信息安全风险评估报告"),
    ("trial_operation", "acceptance_report", "初步验收报告"),
    ("acceptance", "acceptance_report", "竣工验收报告"),
]
ORDER = [
    "draft",
    "needs_analysis",
    "proposal",
    "feasibility_study",
    "preliminary_design",
    "construction",
    "trial_operation",
    "acceptance",
    "in_operation",
]


def _demo_codes() -> set[str]:
    from egovpm.demo import PROJECTS

    return {p[0] for p in PROJECTS}


def _file_demo_documents(project: Project, *, archive: bool = True, upto: str | None = None) -> None:
    """Upload (and archive) the demo filing scope up to the project's stage. Idempotent by title."""
    actor = _lead_user(project)
    if actor is None:
        return
    last = ORDER.index(upto or project.stage) if (upto or project.stage) in ORDER else 0
    existing = set(Document.objects.filter(project=project).values_list("title", flat=True))
    for stage, category, title in DEMO_FILES:
        # the acceptance stage's own report is filed at completion acceptance
        if ORDER.index(stage) > last:
            continue
        full = f"{project.name}{title}"
        if full in existing:
            continue
        body = f"%PDF-1.4\n% {project.code} {full}\n% 演示文件（DEMO ONLY）\n".encode()
        document = documents.document_upload(
            actor=actor,
            project_id=project.pk,
            file=SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf"),
            stage=stage,
            category=category,
            title=full,
            max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
        )
        if archive:
            documents.document_archive(actor=actor, document_id=document.pk)


def load() -> None:
    """Idempotent: archived documents for the advanced demo projects, a partial archive for those in
    construction and trial operation, and a passed archive acceptance by archivist.lin (saac) for
    the projects in acceptance and in operation."""
    for project in Project.objects.filter(stage__in=["acceptance", "in_operation"]):
        if project.code not in _demo_codes():
            continue
        _file_demo_documents(project)
        if not ArchiveAcceptance.objects.filter(project=project, result="passed").exists():
            prepare(project=project, action="pass_completion_acceptance", day=clock.today())
    for code, upto in (("2021-000000-12-01-000001", "trial_operation"), ("2022-000000-11-01-000001", "construction")):
        partial = Project.objects.filter(code=code).first()
        lead = _lead_user(partial) if partial is not None else None
        if partial is not None and lead is not None:
            # filed but not all archived yet: the completeness view and the archive buttons have work to show
            _file_demo_documents(partial, archive=False, upto=upto)
            for document in Document.objects.filter(project=partial, archived=False, stage__in=ORDER[:4]):
                documents.document_archive(actor=lead, document_id=document.pk)
