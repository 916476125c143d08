"""The records half of `egovpm seed-synthetic` (ops/synthetic.py): for each planned project
(ops/synthetic_plan.py) the rows every app keeps — the project and its events, documents pointing
at a few shared blobs, the estimate and its adjustments and spending, progress reports, systems and
risk assessments, archive and completion acceptances, expert reviews.

Rows are plain dicts (Row) with precomputed ids (SeedContext.add), written by the caller
(COPY on PostgreSQL, bulk_create on SQLite); nothing here calls a service or writes an audit event."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from egovpm.accounts.models import Department, User
from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
from egovpm.budgets import routing
from egovpm.budgets.choices import ADJUSTABLE_STAGES, AdjustmentStatus, BaselineSource, Reason, Route
from egovpm.budgets.models import (
    Adjustment,
    AdjustmentItem,
    Baseline,
    BaselineLine,
    Estimate,
    EstimateLine,
    Expenditure,
)
from egovpm.core.clock import BEIJING
from egovpm.documents.models import Document
from egovpm.ops.synthetic_plan import ProjectPlan, comment_for
from egovpm.projects.choices import Action, AssignmentTask, Stage
from egovpm.projects.models import Assignment, Participation, Project, StageEvent
from egovpm.reports.choices import SECTION_KEYS, Recipient
from egovpm.reports.models import ReportAcknowledgement, ReportReturn, ReportSubmission
from egovpm.reviews.choices import FormedBy, Recommendation, ReviewStatus
from egovpm.reviews.models import ExpertReview, NeedsAnalysis, Opinion, PanelMember
from egovpm.rules import facts_reports as fr
from egovpm.security.models import InformationSystem, RiskAssessment

CENT = Decimal("0.01")
LINE_NAMES = ("应用系统建设", "数据资源建设", "基础设施建设", "安全保障体系", "标准规范建设", "工程建设其他费用")


class Row(dict[str, Any]):
    """One row to write: values by field name (a foreign key as the row or model it points at, or
    as `<name>_id`); read and set as attributes by the builders. Fields left out take the model's
    default when written (ops/synthetic.py)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    @property
    def pk(self) -> Any:
        return self["id"]


@dataclass(frozen=True)
class Blob:
    """One stored file many document rows point at (the bytes are written once)."""

    sha256: str
    sm3: str
    size: int
    filename: str
    content_type: str


@dataclass
class People:
    ndrc: User
    mof: User
    archivist: User
    experts: list[User]
    staff: dict[int, User]  # by department pk
    leader: dict[int, User]


@dataclass
class SeedContext:
    rng: random.Random
    end: dt.date  # the last effective date any record gets (yesterday in Beijing)
    departments: list[Department]
    people: People
    blobs: list[Blob]
    pack_version: str
    pack_sha256: str
    next_ids: dict[type[models.Model], int]  # the next integer id of each model
    rows: dict[type[models.Model], list[Row]] = field(default_factory=lambda: defaultdict(list))
    retention: dict[str, str] = field(default_factory=dict)  # the pack's retention_defaults
    lead_weights: list[int] = field(default_factory=list)  # how many projects each department leads, relatively

    def add(self, model: type[models.Model], **values: Any) -> Row:
        """A row of `model` to write, its id precomputed (an integer in sequence or a seeded UUID)."""
        if "id" not in values:
            values["id"] = self.next_id(model) if model in self.next_ids else self.uuid()
        row = Row(values)
        self.rows[model].append(row)
        return row

    def next_id(self, model: type[models.Model]) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        """An aware instant on a Beijing calendar day, stored as UTC like every other."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BEIJING).astimezone(dt.UTC)

    def between(self, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))


@dataclass
class Built:
    """What later builders need of one project: the plan, the row, its events, its people."""

    plan: ProjectPlan
    project: Row
    events: list[Row]
    department: Department
    staff: User


# ------------------------------------------------------------------------------ project, events


def build_project(ctx: SeedContext, plan: ProjectPlan, code: str, name: str, leader: tuple[str, str]) -> Built:
    lead = ctx.departments[plan.lead]
    staff, head = ctx.people.staff[lead.pk], ctx.people.leader[lead.pk]
    created_at = ctx.at(plan.created, 9)
    named = ctx.rng.random() < 0.96  # a few lack the responsible leader (C2.1)
    project = ctx.add(
        Project,
        code=code,
        regime="r2007",
        name=name,
        lead_department=lead,
        joint_central_local=plan.joint,
        responsible_leader_name=leader[0] if named else "",
        responsible_leader_title=leader[1] if named else "",
        business_unit=f"{lead.name}业务司局"[:200],
        technical_unit=f"{lead.name}信息中心"[:200],
        construction_goals="提升业务协同和公共服务能力，实现数据共享和业务联动。",
        main_content="建设应用系统、数据资源、基础设施和安全保障体系。",
        service_outsourcing=ctx.rng.random() < 0.3,
        data_hosting=ctx.rng.random() < 0.2,
        stage=plan.stage,
        completion_entrusted=any(e.entrusted for e in plan.events),
        completion_entrusted_reason="委托牵头部门组织竣工验收" if any(e.entrusted for e in plan.events) else "",
        created_at=created_at,
        updated_at=ctx.at(plan.last_day, 16) if plan.events else created_at,
        created_by=staff,
    )
    for other in plan.participants:
        ctx.add(Participation, project=project, department=ctx.departments[other])
    events = []
    for seq, e in enumerate(plan.events, start=1):
        actor = _actor(ctx, e.action, e.entrusted, staff, head)
        events.append(
            ctx.add(
                StageEvent,
                project=project,
                seq=seq,
                action=e.action,
                from_stage=e.from_stage,
                to_stage=e.to_stage,
                actor=actor,
                at=ctx.at(e.day, 10, seq),
                effective_date=e.day,
                comment=comment_for(e.action),
                approval_reference=e.approval_reference,
                entrusted=e.entrusted,
                pack_version=ctx.pack_version,
                pack_sha256=ctx.pack_sha256,
                gate_results=[],
            )
        )
    return Built(plan, project, events, lead, staff)


def _actor(ctx: SeedContext, action: str, entrusted: bool, staff: User, head: User) -> User:
    if action in (Action.SUBMIT_NEEDS_ANALYSIS, Action.SUBMIT_PROPOSAL, Action.START_TRIAL_OPERATION):
        return staff
    if action == Action.PASS_PRELIMINARY_ACCEPTANCE or (action == Action.PASS_COMPLETION_ACCEPTANCE and entrusted):
        return head
    return ctx.people.ndrc


# ------------------------------------------------------------------------------------ documents

# (the action whose event the document accompanies, category, the stage it belongs to, days after
# the event: 0 for a file uploaded in the days before it) — the filing scope of the pack (C7.2)
DOCUMENTS: tuple[tuple[str, str, str, int], ...] = (
    (Action.SUBMIT_NEEDS_ANALYSIS, "needs_analysis_report", Stage.NEEDS_ANALYSIS, 0),
    (Action.SUBMIT_PROPOSAL, "project_proposal", Stage.PROPOSAL, 0),
    (Action.APPROVE_PROPOSAL, "approval_document", Stage.PROPOSAL, 0),
    (Action.APPROVE_PROPOSAL, "feasibility_study_report", Stage.FEASIBILITY_STUDY, 30),
    (Action.APPROVE_FEASIBILITY, "approval_document", Stage.FEASIBILITY_STUDY, 0),
    (Action.APPROVE_FEASIBILITY, "preliminary_design", Stage.PRELIMINARY_DESIGN, 30),
    (Action.APPROVE_PRELIMINARY_DESIGN, "approval_document", Stage.PRELIMINARY_DESIGN, 0),
    (Action.APPROVE_PRELIMINARY_DESIGN, "tender_documents", Stage.CONSTRUCTION, 45),
    (Action.APPROVE_PRELIMINARY_DESIGN, "contract", Stage.CONSTRUCTION, 90),
    (Action.APPROVE_PRELIMINARY_DESIGN, "progress_report", Stage.CONSTRUCTION, 210),
    (Action.START_TRIAL_OPERATION, "trial_operation_report", Stage.TRIAL_OPERATION, 60),
    (Action.PASS_PRELIMINARY_ACCEPTANCE, "acceptance_report", Stage.TRIAL_OPERATION, 0),
    (Action.PASS_COMPLETION_ACCEPTANCE, "acceptance_report", Stage.ACCEPTANCE, 0),
)
TITLES = {
    "needs_analysis_report": "需求分析报告",
    "project_proposal": "项目建议书",
    "feasibility_study_report": "可行性研究报告",
    "preliminary_design": "初步设计方案和投资概算",
    "approval_document": "批复文件",
    "trial_operation_report": "试运行报告",
    "acceptance_report": "验收报告",
    "tender_documents": "招标投标文件",
    "contract": "合同",
    "progress_report": "建设情况报告",
    "risk_assessment_report": "信息安全风险评估报告",
}


def add_document(ctx: SeedContext, b: Built, category: str, stage: str, day: dt.date) -> Row:
    blob = ctx.blobs[len(category) % len(ctx.blobs)]
    completed = b.plan.day_of(Action.PASS_COMPLETION_ACCEPTANCE)
    archived = completed is not None and completed >= day
    return ctx.add(
        Document,
        project=b.project,
        stage=stage,
        category=category,
        title=TITLES.get(category, category),
        filename=blob.filename,
        content_type=blob.content_type,
        size=blob.size,
        sha256=blob.sha256,
        sm3=blob.sm3,
        retention=ctx.retention.get(category, "permanent"),
        uploaded_by=b.staff,
        uploaded_at=ctx.at(day, 11),
        archived=archived,
        archived_at=ctx.at(completed, 17) if archived and completed is not None else None,
        archived_by=ctx.people.archivist if archived else None,
    )


def build_documents(ctx: SeedContext, b: Built) -> None:
    for action, category, stage, after in DOCUMENTS:
        day = b.plan.day_of(action)
        if day is None or ctx.rng.random() < 0.015:  # a few files were never uploaded
            continue
        if after:
            day = min(day + dt.timedelta(days=ctx.rng.randint(after // 2, after)), ctx.end)
        else:
            day = max(b.plan.created, day - dt.timedelta(days=ctx.rng.randint(0, 5)))
        add_document(ctx, b, category, stage, day)


# ------------------------------------------------------------------------------------- budgets


def _split(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """`n` non-negative amounts summing exactly to `total` (cents)."""
    cents = int(total / CENT)
    weights = [rng.randint(5, 40) for _ in range(n)]
    parts = [cents * w // sum(weights) for w in weights]
    parts[-1] = cents - sum(parts[:-1])
    return [Decimal(p) * CENT for p in parts]


@dataclass
class Ledger:
    """The estimate of one project while its adjustments are being planned: the amounts as the
    budgets app's own pure model keeps them (routing.Ledger: B, lines, prior moves, versions), and
    the rows they become."""

    estimate: Row
    money: routing.Ledger
    names: dict[str, str]
    baseline: Row | None = None
    seq: int = 1

    @property
    def lines(self) -> Mapping[str, Decimal]:
        return self.money.lines


def build_budget(ctx: SeedContext, b: Built) -> None:
    plan = b.plan
    drafted = plan.day_of(Action.APPROVE_PROPOSAL)
    if drafted is None:
        if ctx.rng.random() < 0.6 or plan.stage == Stage.CANCELLED:
            return  # early projects mostly have no estimate yet
        drafted = plan.created
    total = Decimal(ctx.rng.randint(200, 60000) * 10000 + ctx.rng.randint(0, 99999999)) * CENT
    codes = [f"{i:02d}" for i in range(1, ctx.rng.randint(3, 6) + 1)]
    names = dict(zip(codes, LINE_NAMES, strict=False))
    lines = dict(zip(codes, _split(ctx.rng, total, len(codes)), strict=True))
    estimate = ctx.add(
        Estimate,
        project=b.project,
        total=total,
        created_at=ctx.at(drafted, 14),
        updated_at=ctx.at(drafted, 14),
        updated_by=b.staff,
    )
    ledger = Ledger(estimate, routing.Ledger.start(lines), names)
    approved = plan.day_of(Action.APPROVE_PRELIMINARY_DESIGN)
    if approved is not None:
        event = next(e for e in b.events if e.action == Action.APPROVE_PRELIMINARY_DESIGN)
        ledger.baseline = _baseline(
            ctx, b, ledger, approved, BaselineSource.PRELIMINARY_DESIGN, event.approval_reference
        )
        _adjustments(ctx, b, ledger, approved)
    estimate.total = sum(ledger.lines.values(), Decimal(0))
    estimate.baseline = ledger.baseline
    estimate.version = ledger.money.version
    line_rows = []
    for position, (code, amount) in enumerate(ledger.lines.items()):
        line_rows.append(
            ctx.add(
                EstimateLine,
                estimate=estimate,
                code=code,
                name=ledger.names[code],
                amount=amount,
                position=position,
                changed_version=ledger.money.changed.get(code, 0),
            )
        )
    if approved is not None:
        _spending(ctx, b, line_rows, approved)


def _baseline(
    ctx: SeedContext, b: Built, ledger: Ledger, day: dt.date, source: str, reference: str, adjustment: Any = None
) -> Row:
    baseline = ctx.add(
        Baseline,
        project=b.project,
        seq=ledger.seq,
        total=sum(ledger.lines.values(), Decimal(0)),
        approved_on=day,
        source=source,
        approval_reference=reference,
        adjustment=adjustment,
        created_at=ctx.at(day, 15),
        created_by=ctx.people.ndrc,
    )
    for position, (code, amount) in enumerate(ledger.lines.items()):
        ctx.add(
            BaselineLine,
            baseline=baseline,
            code=code,
            name=ledger.names[code],
            amount=amount,
            position=position,
        )
    ledger.seq += 1
    return baseline


# (status, wants the NDRC route) — every route in every state somewhere in a large portfolio
SCENARIOS: tuple[tuple[str, bool], ...] = (
    (AdjustmentStatus.APPROVED, False),
    (AdjustmentStatus.APPROVED, False),
    (AdjustmentStatus.APPROVED, True),
    (AdjustmentStatus.REJECTED, True),
    (AdjustmentStatus.REJECTED, False),
    (AdjustmentStatus.WITHDRAWN, False),
    (AdjustmentStatus.WITHDRAWN, True),
    (AdjustmentStatus.STALE, False),
)


def _adjustments(ctx: SeedContext, b: Built, ledger: Ledger, approved: dt.date) -> None:
    if ctx.rng.random() >= 0.35:
        return
    plan = b.plan
    ended = plan.day_of(Action.PASS_COMPLETION_ACCEPTANCE) or plan.day_of(Action.CANCEL) or ctx.end
    day = approved
    count = ctx.rng.randint(1, 3)
    for number in range(1, count + 1):
        day = ctx.between(day + dt.timedelta(days=20), day + dt.timedelta(days=300))
        if day >= ended:
            return
        pending = number == count and plan.stage in ADJUSTABLE_STAGES and ctx.rng.random() < 0.3
        status, ndrc = (AdjustmentStatus.PENDING, ctx.rng.random() < 0.5) if pending else ctx.rng.choice(SCENARIOS)
        decided = None if status in (AdjustmentStatus.PENDING, AdjustmentStatus.STALE) else day
        if decided is not None:
            decided = min(ctx.between(day + dt.timedelta(days=5), day + dt.timedelta(days=60)), ended, ctx.end)
        _adjustment(ctx, b, ledger, number, day, status, ndrc, decided)
        day = decided or day


def _proposal(ctx: SeedContext, ledger: Ledger, ndrc: bool) -> dict[str, Decimal]:
    """The lines a request names: a move between two lines (self-approval) or an increase (NDRC)."""
    codes = list(ledger.lines)
    base = ledger.money.baseline_total
    if ndrc:
        code = ctx.rng.choice(codes)
        extra = (base * Decimal(ctx.rng.randint(3, 20)) / 100).quantize(CENT)
        return {code: ledger.lines[code] + extra}
    give, take = ctx.rng.sample(codes, 2)
    amount = min(ledger.lines[take], (base * Decimal(ctx.rng.randint(1, 6)) / 100).quantize(CENT))
    return {give: ledger.lines[give] + amount, take: ledger.lines[take] - amount}


def _adjustment(
    ctx: SeedContext,
    b: Built,
    ledger: Ledger,
    number: int,
    day: dt.date,
    status: str,
    ndrc: bool,
    decided: dt.date | None,
) -> None:
    assert ledger.baseline is not None
    proposed = _proposal(ctx, ledger, ndrc)
    reason = ctx.rng.choice((Reason.OPTIMIZATION, Reason.NEW_POLICY, Reason.SCHEDULE, Reason.OTHER))
    request = ledger.money.request(number, proposed, True, reason)
    r = ledger.money.route(proposed, True, reason)
    decider = ctx.people.ndrc if r.route == Route.NDRC_APPROVAL else ctx.people.leader[b.department.pk]
    if status == AdjustmentStatus.WITHDRAWN:
        decider = b.staff  # the requester withdraws
    adjustment = ctx.add(
        Adjustment,
        project=b.project,
        number=number,
        status=status,
        reason=reason,
        goals_unchanged=True,
        description="因业务需求变化，调整部分单项工程投资。",
        **r.adjustment_fields(),
        baseline=ledger.baseline,
        estimate_version=ledger.money.version,
        requested_by=b.staff,
        requested_at=ctx.at(day, 9),
        decided_by=decider if decided else None,
        decided_at=ctx.at(decided, 16) if decided else None,
        decided_on=decided,
        decision_comment="同意。" if status == AdjustmentStatus.APPROVED else "",
        decided_baseline=ledger.baseline if status == AdjustmentStatus.APPROVED else None,
    )
    for code, new in proposed.items():
        ctx.add(
            AdjustmentItem,
            adjustment=adjustment,
            code=code,
            name=ledger.names[code],
            old_amount=ledger.lines[code],
            new_amount=new,
        )
    if status != AdjustmentStatus.APPROVED or decided is None:
        return
    ledger.money, _, outcome = ledger.money.approve(request)
    assert outcome == "approved", outcome  # decided against the state it was requested on
    if r.route == Route.NDRC_APPROVAL:  # an NDRC approval is a new baseline; the count restarts
        reference = f"发改高技〔{decided.year}〕{ctx.rng.randint(100, 2999)}号"
        ledger.baseline = _baseline(ctx, b, ledger, decided, BaselineSource.NDRC_ADJUSTMENT, reference, adjustment)
        return
    filed = decided + dt.timedelta(days=ctx.rng.randint(3, 40))
    if ctx.rng.random() < 0.7 and filed <= ctx.end:  # 备案 with NDRC, some acknowledged
        adjustment.filed_on = filed
        adjustment.filing_reference = f"备案〔{filed.year}〕{ctx.rng.randint(1, 999)}号"
        adjustment.filed_by = b.staff
        adjustment.filed_at = ctx.at(filed, 11)
        acknowledged = filed + dt.timedelta(days=ctx.rng.randint(1, 20))
        if ctx.rng.random() < 0.6 and acknowledged <= ctx.end:
            adjustment.acknowledged_by = ctx.people.ndrc
            adjustment.acknowledged_at = ctx.at(acknowledged, 15)


def _spending(ctx: SeedContext, b: Built, lines: Sequence[Row], start: dt.date) -> None:
    last = b.plan.day_of(Action.PASS_COMPLETION_ACCEPTANCE) or b.plan.day_of(Action.CANCEL) or ctx.end
    for n in range(ctx.rng.randint(1, 6)):
        line = ctx.rng.choice(lines)
        amount = (line.amount * Decimal(ctx.rng.randint(2, 15)) / 100).quantize(CENT)
        if amount <= 0:
            continue
        day = ctx.between(start, last)
        ctx.add(
            Expenditure,
            project=b.project,
            line=line,
            spent_on=day,
            amount=amount,
            voucher=f"凭-{day.year}-{n + 1:04d}",
            recorded_by=b.staff,
            recorded_at=ctx.at(day, 17),
        )


# ------------------------------------------------------------------------------------- reports


def build_reports(ctx: SeedContext, b: Built) -> None:
    """Obligations from the construction window (rules/facts_reports.py): most submitted on time,
    some late, some missing; a few returned for revision and resubmitted."""
    window = fr.construction_window(b.events, ctx.end)
    for period in fr.report_periods(window, ctx.end):
        if not period.ended_by(ctx.end):
            continue
        first = period.end + dt.timedelta(days=1)
        roll = ctx.rng.random()
        if period.due >= ctx.end:  # not due yet: some departments report early
            day = ctx.between(first, ctx.end) if roll < 0.35 else None
        elif roll < 0.74:
            day = ctx.between(max(first, period.due - dt.timedelta(days=25)), period.due)
        elif roll < 0.87:
            day = period.due + dt.timedelta(days=ctx.rng.randint(1, 90))
            day = day if day <= ctx.end else None
        else:
            day = None  # missing: overdue
        if day is not None:
            _submission(ctx, b, period.code, day)


def _submission(ctx: SeedContext, b: Built, period: str, day: dt.date) -> None:
    sections = {key: f"{b.project.name}{period}{key}情况。" for key in SECTION_KEYS}
    version, returned = 1, ctx.rng.random() < 0.04
    while True:
        sub = ctx.add(
            ReportSubmission,
            project=b.project,
            period=period,
            version=version,
            sections=sections,
            submitted_at=ctx.at(day, 15),
            recorded_at=ctx.at(day, 15),
            submitted_by=b.staff,
            department_name=b.department.name,
        )
        back = day + dt.timedelta(days=ctx.rng.randint(3, 20))
        if not returned or back > ctx.end:
            break
        ctx.add(
            ReportReturn,
            submission=sub,
            returned_at=ctx.at(back, 10),
            returned_by=ctx.people.ndrc,
            comment="请补充概预算执行情况。",
        )
        day, version, returned = back + dt.timedelta(days=ctx.rng.randint(3, 30)), version + 1, False
        if day > ctx.end:
            return
    if ctx.rng.random() < 0.6:
        for recipient, user in ((Recipient.NDRC, ctx.people.ndrc), (Recipient.MOF, ctx.people.mof)):
            seen = day + dt.timedelta(days=ctx.rng.randint(1, 20))
            if seen <= ctx.end:
                ctx.add(
                    ReportAcknowledgement,
                    submission=sub,
                    recipient=recipient,
                    acknowledged_at=ctx.at(seen, 11),
                    acknowledged_by=user,
                )


# ------------------------------------------------------------------------------------ security

SYSTEM_NAMES = ("业务应用系统", "数据共享交换系统", "公众服务门户", "综合管理平台")


def build_security(ctx: SeedContext, b: Built) -> None:
    plan = b.plan
    designed = plan.day_of(Action.APPROVE_FEASIBILITY)
    if designed is None:
        return
    built_on = plan.day_of(Action.APPROVE_PRELIMINARY_DESIGN)
    trial = plan.day_of(Action.START_TRIAL_OPERATION)
    for i in range(ctx.rng.randint(1, 2)):
        public = ctx.rng.random() < 0.4
        classified = ctx.rng.random() < 0.03
        network = "gov_extranet" if public else "gov_intranet"
        if ctx.rng.random() < 0.04:
            network = "dedicated_new"  # clause 9 in principle forbids it: C9 findings
        created = ctx.between(designed, min(designed + dt.timedelta(days=30), ctx.end))
        filed = built_on is not None and ctx.rng.random() < 0.85
        evaluated = trial is not None and ctx.rng.random() < 0.85
        ctx.add(
            InformationSystem,
            project=b.project,
            name=f"{SYSTEM_NAMES[i % len(SYSTEM_NAMES)]}{'（涉密）' if classified else ''}",
            purpose="public_service" if public else "internal_office",
            network=network,
            is_new=ctx.rng.random() < 0.8,
            protection_level=None if classified else ctx.rng.choice((2, 3, 3, 3, 4)),
            classified_tier="confidential" if classified else "",
            protection_in_needs_analysis=ctx.rng.random() < 0.97,
            protection_in_design=ctx.rng.random() < 0.97,
            filing_number=f"{ctx.rng.randint(11000099000, 65000099999)}-{ctx.rng.randint(10000, 99999)}"
            if filed
            else "",
            filing_date=built_on + dt.timedelta(days=30) if filed and built_on is not None else None,
            evaluation_date=trial + dt.timedelta(days=20) if evaluated and trial is not None else None,
            evaluation_result=ctx.rng.choice(("conforms", "basically_conforms")) if evaluated else "",
            created_by=b.staff,
            created_at=ctx.at(created, 10),
            updated_at=ctx.at(created, 10),
        )
    if trial is not None and ctx.rng.random() < 0.85:
        last = plan.day_of(Action.PASS_PRELIMINARY_ACCEPTANCE) or ctx.end
        day = ctx.between(trial, last)
        doc = add_document(ctx, b, "risk_assessment_report", Stage.TRIAL_OPERATION, day)
        ctx.add(
            RiskAssessment,
            project=b.project,
            assessed_on=day,
            assessor="国家信息技术安全研究中心",
            summary="系统总体安全风险可控，发现中低风险若干项，已提出整改建议。",
            document=doc,
            created_by=b.staff,
            created_at=ctx.at(day, 16),
        )


# ------------------------------------------------------------------------------------ archives


def build_archives(ctx: SeedContext, b: Built) -> None:
    plan = b.plan
    started = plan.day_of(Action.PASS_PRELIMINARY_ACCEPTANCE)
    if started is None:
        return
    completed = plan.day_of(Action.PASS_COMPLETION_ACCEPTANCE)
    archivist = ctx.people.archivist
    ctx.add(
        Assignment,
        project=b.project,
        user=archivist,
        task=AssignmentTask.ARCHIVIST,
        assigned_by=ctx.people.ndrc,
        assigned_at=ctx.at(started, 9),
    )
    acceptance = None
    if completed is not None or ctx.rng.random() < 0.5:
        day = ctx.between(started, completed or ctx.end)
        passed = completed is not None or ctx.rng.random() < 0.85
        acceptance = ctx.add(
            ArchiveAcceptance,
            project=b.project,
            accepted_on=day,
            organizer="国家档案局",
            result="passed" if passed else "failed",
            opinion="项目档案齐全、完整、准确，同意通过档案验收。" if passed else "部分文件缺失，请补充后重新验收。",
            completeness={},
            recorded_by=archivist,
            recorded_at=ctx.at(day, 15),
        )
    if completed is None:
        return
    event = next(e for e in b.events if e.action == Action.PASS_COMPLETION_ACCEPTANCE)
    ctx.add(
        CompletionAcceptance,
        project=b.project,
        event=event,
        accepted_by=event.actor,
        accepted_at=event.at,
        effective_date=completed,
        entrusted=event.entrusted,
        archive_acceptance=acceptance,
        as_of=completed,
        regime=b.project.regime,
        pack_version=ctx.pack_version,
        pack_sha256=ctx.pack_sha256,
        results=[],
    )


# ------------------------------------------------------------------------------------- reviews


def build_reviews(ctx: SeedContext, b: Built) -> None:
    """A concluded panel before the proposal was submitted (C10.1); an open one for some projects
    still in needs analysis; the co-authors of a joint project's needs analysis (C10.2)."""
    plan = b.plan
    analysed = plan.day_of(Action.SUBMIT_NEEDS_ANALYSIS)
    if analysed is None:
        return
    proposed = plan.day_of(Action.SUBMIT_PROPOSAL)
    if plan.joint and ctx.rng.random() < 0.85:
        record = ctx.add(NeedsAnalysis, project=b.project, recorded_at=ctx.at(analysed, 12), recorded_by=b.staff)
        through = NeedsAnalysis.co_authors.through
        for other in plan.participants:
            if ctx.departments[other].kind == "local":
                ctx.add(through, needsanalysis_id=record.pk, department_id=ctx.departments[other].pk)
    if proposed is not None:
        span = max(2, (proposed - analysed).days // 3)
        formed = analysed + dt.timedelta(days=ctx.rng.randint(1, span))
        concluded = formed + dt.timedelta(days=ctx.rng.randint(1, span))
        size = 3 if ctx.rng.random() < 0.96 else 2
        _review(ctx, b, formed, size, concluded)
    elif plan.stage == Stage.NEEDS_ANALYSIS and ctx.rng.random() < 0.5:
        _review(ctx, b, ctx.between(analysed, ctx.end), 3, None)


def _review(ctx: SeedContext, b: Built, formed: dt.date, size: int, concluded: dt.date | None) -> None:
    experts = ctx.rng.sample(ctx.people.experts, size)
    given = size if concluded is not None else ctx.rng.randint(0, size)
    review = ctx.add(
        ExpertReview,
        project=b.project,
        status=ReviewStatus.CONCLUDED if concluded else ReviewStatus.OPEN,
        formed_by=FormedBy.NAMED,
        formed_at=ctx.at(formed, 9),
        organised_by=ctx.people.ndrc,
        due_on=formed + dt.timedelta(days=30),
    )
    panel: list[dict[str, Any]] = []
    for position, expert in enumerate(experts):
        ctx.add(PanelMember, review=review, expert=expert, position=position)
        opinion = None
        if position < given:
            day = min(formed + dt.timedelta(days=position + 1), concluded or ctx.end)
            rec = Recommendation.APPROVE if ctx.rng.random() < 0.7 else Recommendation.REVISE
            ctx.add(
                Opinion,
                review=review,
                expert=expert,
                recommendation=rec,
                text="建设必要性充分，同意。",
                given_at=ctx.at(day, 14),
                updated_at=ctx.at(day, 14),
            )
            opinion = {
                "recommendation": rec.value,
                "text": "建设必要性充分，同意。",
                "given_at": ctx.at(day, 14).astimezone(BEIJING).isoformat(),
                "updated_at": ctx.at(day, 14).astimezone(BEIJING).isoformat(),
                "attachment": None,
            }
        panel.append(
            {
                "expert": expert.username,
                "name": expert.label(),
                "department": "",
                "title": "",
                "specialties": [],
                "opinion": opinion,
            }
        )
    if concluded is not None:
        review.conclusion = ctx.rng.choice((Recommendation.APPROVE, Recommendation.APPROVE, Recommendation.REVISE))
        review.conclusion_text = "同意项目建设。"
        review.concluded_by = ctx.people.ndrc
        review.concluded_at = ctx.at(concluded, 16)
        review.record = _record(review, b, panel)
        review.record_sha256 = _digest(review.record)


def _record(review: Row, b: Built, panel: list[dict[str, Any]]) -> dict[str, Any]:
    """The expert-opinion record in the shape reviews.services._record writes."""

    def iso(v: dt.datetime | None) -> str | None:
        return v.astimezone(BEIJING).isoformat() if v else None

    return {
        "review": str(review.pk),
        "project": {
            "id": str(b.project.pk),
            "code": b.project.code,
            "name": b.project.name,
            "lead_department": b.department.name,
            "participating_departments": [],
        },
        "formed_by": review.formed_by,
        "formed_at": iso(review.formed_at),
        "organised_by": review.organised_by.label(),
        "draw": None,
        "panel": panel,
        "conclusion": review.conclusion,
        "conclusion_text": review.conclusion_text,
        "concluded_by": review.concluded_by.label() if review.concluded_by else "",
        "concluded_at": iso(review.concluded_at),
    }


def _digest(record: dict[str, Any]) -> str:
    from egovpm.reviews.services import record_digest

    return record_digest(record)


# ------------------------------------------------------------------------ builders, in FK order

# Builders run per project after build_project. Procurements and inspections do not exist yet:
# their modules add a builder to EXTRA_BUILDERS (fn(ctx, built) -> None, adding rows with ctx.add)
# and their models to ops.synthetic.INSERT_ORDER.
Builder = Callable[[SeedContext, Built], None]
BUILDERS: list[Builder] = [build_documents, build_reviews, build_budget, build_reports, build_security, build_archives]
EXTRA_BUILDERS: list[Builder] = []
