"""Reads of the reports app: obligations and their statuses as of any date, one report's record,
the pre-filled draft, the recipients' portfolio and the reminders due.

Obligations are derived, never stored (rules/facts_reports.py): from the project's stage events
and the date. Project-scoped reads take a project the caller reached through
projects.policies.project_for; the portfolio goes through projects.policies.restrict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import translation

from egovpm.accounts.models import Department, User
from egovpm.core import clock
from egovpm.core.errors import DomainError, FieldError, InvalidInput, NotFound
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import Action, Stage
from egovpm.projects.models import Project, StageEvent
from egovpm.reports.errors import ReportError
from egovpm.reports.models import ReportAcknowledgement, ReportSubmission
from egovpm.rules import engine
from egovpm.rules import facts_reports as fr

# Rules whose failures are not construction problems of the period (the report itself).
OWN_RULES = ("C4.1", "C4.2")


def pack_params(regime: str = "r2007") -> Mapping[str, Any]:
    """The due dates and the 待办 horizon, from the pack's C4.1 parameters."""
    return engine.load_pack(regime).rule("C4.1").params


def upcoming_days(regime: str = "r2007") -> int:
    return int(pack_params(regime).get("upcoming_days", 30))


def period_parse(code: str, regime: str = "r2007") -> fr.Period:
    try:
        return fr.period_from_code(code, pack_params(regime))
    except ValueError as e:
        raise InvalidInput(
            ReportError.INVALID_PERIOD, {"period": code}, fields={"period": FieldError(ReportError.PERIOD_FORMAT)}
        ) from e


@dataclass
class Obligation:
    """One report obligation of a project as of a date, with the records behind its status."""

    project: Project
    state: fr.ReportState
    as_of: dt.date
    submissions: list[ReportSubmission] = field(default_factory=list)  # versions made by as_of, oldest first

    @property
    def period(self) -> fr.Period:
        return self.state.period

    @property
    def code(self) -> str:
        return self.state.period.code

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def due(self) -> dt.date:
        return self.state.period.due

    @property
    def first_submitted_at(self) -> dt.datetime | None:
        return self.state.first_submitted_at

    @property
    def current(self) -> ReportSubmission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def timeliness(self) -> str | None:
        if self.state.on_time is None:
            return None
        return "on_time" if self.state.on_time else "late"

    @property
    def return_record(self) -> Any:
        """The return of the current submission when the report stands returned as of the date."""
        current = self.current
        if current is None or self.status != fr.RETURNED:
            return None
        return getattr(current, "returned", None)

    @property
    def acknowledgements(self) -> dict[str, ReportAcknowledgement]:
        """签收 of the current submission by NDRC and MoF, made by the date."""
        current = self.current
        if current is None or self.status == fr.RETURNED:
            return {}
        return {
            a.recipient: a
            for a in current.acknowledgements.all()
            if a.acknowledged_at.astimezone(clock.BEIJING).date() <= self.as_of
        }

    def submittable(self, today: dt.date) -> bool:
        """The lead department may submit now: the period ended and nothing stands submitted."""
        return self.period.ended_by(today) and self.status in (fr.PENDING, fr.OVERDUE, fr.RETURNED)

    def due_in(self, today: dt.date) -> int:
        return (self.due - today).days


def _with_report_records(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Prefetch what obligations need: a fixed number of queries whatever the number of projects."""
    return qs.select_related("lead_department").prefetch_related(
        Prefetch("events", queryset=StageEvent.objects.order_by("seq")),
        Prefetch(
            "report_submissions",
            queryset=ReportSubmission.objects.select_related("returned", "submitted_by")
            .prefetch_related("acknowledgements")
            .order_by("period", "version"),
        ),
    )


def _obligations(project: Project, as_of: dt.date, params: Mapping[str, Any]) -> list[Obligation]:
    submissions = list(project.report_submissions.all())
    facts = []
    for s in submissions:
        ret = getattr(s, "returned", None)
        facts.append(fr.ReportSubmissionFact(s.period, s.version, s.submitted_at, ret.returned_at if ret else None))
    states = fr.report_obligations(project.events.all(), facts, as_of, params)
    out = []
    for state in states:
        made = [
            s
            for s in submissions
            if s.period == state.code and s.submitted_at.astimezone(clock.BEIJING).date() <= as_of
        ]
        out.append(Obligation(project=project, state=state, as_of=as_of, submissions=made))
    return out


def report_obligations_for(*, project: Project, as_of: dt.date | None = None) -> list[Obligation]:
    """Every report obligation of the project as of `as_of` (today in Beijing when None), oldest first."""
    as_of = as_of or clock.today()
    project = _with_report_records(Project.objects.filter(pk=project.pk)).get()
    return _obligations(project, as_of, pack_params(project.regime))


def report_obligation(*, project: Project, period: str, as_of: dt.date | None = None) -> Obligation:
    """One obligation; NotFound when the project was not in construction during that period (or the
    period has not started yet)."""
    p = period_parse(period, project.regime)
    for o in report_obligations_for(project=project, as_of=as_of):
        if o.code == p.code:
            return o
    raise NotFound(ReportError.NO_OBLIGATION, {"period": p.code})


def report_history(*, project: Project, period: str) -> list[dict[str, Any]]:
    """Everything that happened to one report, in time order: submissions, returns, 签收."""
    rows: list[dict[str, Any]] = []
    for s in (
        ReportSubmission.objects.filter(project=project, period=period)
        .select_related("returned__returned_by", "submitted_by")
        .prefetch_related("acknowledgements__acknowledged_by")
    ):
        rows.append(
            {"at": s.submitted_at, "kind": "submitted", "version": s.version, "by": s.submitted_by, "paper": s.on_paper}
        )
        ret = getattr(s, "returned", None)
        if ret is not None:
            rows.append(
                {
                    "at": ret.returned_at,
                    "kind": "returned",
                    "version": s.version,
                    "by": ret.returned_by,
                    "comment": ret.comment,
                }
            )
        for a in s.acknowledgements.all():
            rows.append(
                {
                    "at": a.acknowledged_at,
                    "kind": f"acknowledged_{a.recipient}",
                    "version": s.version,
                    "by": a.acknowledged_by,
                }
            )
    rows.sort(key=lambda r: (r["at"], r["version"]))
    return rows


# ---------------------------------------------------------------- pre-fill


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _zh(choices: Any, value: str) -> str:
    with translation.override("zh-hans"):
        try:
            return str(choices(value).label)
        except ValueError:
            return value


def budget_execution_of(project: Project, as_of: dt.date | None) -> dict[str, Any] | None:
    """The budgets app's spending ledger (概预算执行), or None when there is no estimate recorded —
    or no budgets app in this release (imported lazily, so reports work without it)."""
    try:
        from egovpm.budgets.selectors import budget_execution
    except ImportError:
        return None
    try:
        data = budget_execution(project=project, as_of=as_of)
    except DomainError:
        return None
    if not data or not data.get("items"):
        return None
    return data


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def budget_table(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ledger as JSON-safe strings: what a submission snapshots and the documents print."""
    if data is None:
        return None
    keys = ("code", "name", "baseline_amount", "current_amount", "spent", "execution_rate")
    return {
        "items": [{k: _text(item.get(k)) for k in keys} for item in data["items"]],
        **{k: _text(data.get(k)) for k in ("total_baseline", "total_current", "total_spent", "execution_rate")},
    }


def wan(value: str | Decimal | None) -> str:
    """Yuan → 万元 with two decimals (— when absent)."""
    if value in (None, ""):
        return "—"
    return f"{(Decimal(str(value)) / Decimal(10000)).quantize(Decimal('0.01')):,}"


def percent(rate: str | Decimal | None) -> str:
    if rate in (None, ""):
        return "—"
    return f"{(Decimal(str(rate)) * 100).quantize(Decimal('0.01'))}%"


def _stage_at(events: Iterable[StageEvent], day: dt.date) -> str:
    stage = Stage.DRAFT.value
    for e in events:
        if e.effective_date <= day:
            stage = e.to_stage
    return stage


def report_prefill(*, project: Project, period: fr.Period, today: dt.date | None = None) -> dict[str, Any]:
    """A draft of the five sections from the project's own records (clause 4), in Chinese: the
    department edits it before submitting. Returns {"sections": {...}, "budget": table or None}."""
    today = today or clock.today()
    events = list(project.events.order_by("seq"))
    end = min(period.end, today)
    label = period.label_zh

    # 建设进度: the stage at the end of the period and the milestones so far
    milestones = [
        f"{cn_date(e.effective_date)}，{_zh(Action, e.action)}"
        + (f"（{e.approval_reference}）" if e.approval_reference else "")
        for e in events
        if e.effective_date <= end
    ]
    progress = f"截至{cn_date(end)}，项目处于“{_zh(Stage, _stage_at(events, end))}”阶段。"
    if milestones:
        progress += "主要节点：\n" + "\n".join(f"{i}. {m}" for i, m in enumerate(milestones, 1))

    # 实施内容: what was approved, and what happened and was filed during the period
    in_period = [e for e in events if period.start <= e.effective_date <= period.end]
    docs = [
        d
        for d in project.documents.order_by("uploaded_at")
        if period.start <= d.uploaded_at.astimezone(clock.BEIJING).date() <= period.end
    ]
    content_lines = []
    if project.main_content:
        content_lines.append(f"批复的主要建设内容：{project.main_content}")
    if in_period:
        content_lines.append(
            f"{label}完成的阶段工作："
            + "；".join(f"{cn_date(e.effective_date)}{_zh(Action, e.action)}" for e in in_period)
            + "。"
        )
    if docs:
        from egovpm.documents.choices import Category

        content_lines.append(
            f"{label}归档文件：" + "；".join(f"《{d.title}》（{_zh(Category, d.category)}）" for d in docs) + "。"
        )
    if not in_period and not docs:
        content_lines.append(f"{label}无阶段变化，未归档新的文件。请补充本期完成的主要建设内容。")
    content = "\n".join(content_lines)

    # 招标投标: procurement records are not part of the product yet
    tender_docs = [d for d in docs if d.category in ("tender_documents", "contract")]
    tendering = (
        "本系统尚未纳入招标采购记录（采购管理模块后续上线），"
        "请据实填写本期招标投标情况：招标项目、招标方式、中标单位、合同金额。"
    )
    if tender_docs:
        tendering += "\n本期已归档的招标和合同文件：" + "；".join(f"《{d.title}》" for d in tender_docs) + "。"

    # 概预算执行: the spending ledger at the end of the period
    data = budget_execution_of(project, end)
    table = budget_table(data)
    if table is None:
        budget = "本项目尚未在系统中录入投资概算（no estimate recorded），请据实填写概预算执行情况。"
    else:
        budget = (
            f"截至{cn_date(end)}，"
            + (f"批复概算总投资{wan(table['total_baseline'])}万元，" if table["total_baseline"] else "")
            + f"现行概算{wan(table['total_current'])}万元，累计完成投资{wan(table['total_spent'])}万元，"
            + f"执行率{percent(table['execution_rate'])}。各单项工程执行情况见下表。"
        )

    # 存在的问题: open compliance failures as a starting point
    from egovpm.projects.selectors import project_compliance

    report = project_compliance(project=project, as_of=today, language="zh")
    open_items = [r for r in report["results"] if r.status in ("fail", "error") and r.rule not in OWN_RULES]
    if open_items:
        problems = "合规检查发现的问题：\n" + "\n".join(
            f"{i}. {r.rule}（第{r.clause}条）{r.message_zh}" for i, r in enumerate(open_items, 1)
        )
    else:
        problems = "合规检查未发现问题。请补充建设中遇到的其他问题及拟采取的措施。"

    return {
        "sections": {
            "progress": progress,
            "content": content,
            "tendering": tendering,
            "budget_execution": budget,
            "problems": problems,
        },
        "budget": table,
    }


# ---------------------------------------------------------------- across projects


def projects_with_obligations(qs: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects that ever entered construction (only they can owe reports), records prefetched."""
    qs = qs if qs is not None else Project.objects.all()
    started = StageEvent.objects.filter(action=fr.START_ACTION).values("project_id")
    return _with_report_records(qs.filter(pk__in=started)).order_by("lead_department__code", "code")


def obligations_across(
    projects: Iterable[Project], as_of: dt.date, params: Mapping[str, Any] | None = None
) -> list[Obligation]:
    out: list[Obligation] = []
    for p in projects:
        out.extend(_obligations(p, as_of, params if params is not None else pack_params(p.regime)))
    return out


COUNT_KEYS = ("on_time", "late", "overdue", "pending", "returned", "total")


def _bucket(o: Obligation) -> str:
    if o.state.on_time is True:
        return "on_time"
    if o.state.on_time is False:
        return "late"
    return o.status  # pending / overdue


def report_portfolio(
    *, user: User, as_of: dt.date | None = None, department: str = "", period: str = ""
) -> dict[str, Any]:
    """Departments × periods with counts on time / late / overdue / pending (a returned report counts
    by its first submission, and also under `returned`), and the obligations behind them for the
    drill-down (filtered by `department` and `period`). Scoped by projects.policies.restrict."""
    as_of = as_of or clock.today()
    projects = list(projects_with_obligations(project_policies.restrict(user, "view")))
    obligations = obligations_across(projects, as_of)
    departments: dict[str, Department] = {}
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for o in obligations:
        dept = o.project.lead_department
        departments[dept.code] = dept
        cell = cells.setdefault((dept.code, o.code), dict.fromkeys(COUNT_KEYS, 0))
        cell[_bucket(o)] += 1
        cell["total"] += 1
        if o.status == fr.RETURNED:
            cell["returned"] += 1
    periods = sorted({o.code for o in obligations}, key=lambda c: (c[:4], c.endswith("H1") is False), reverse=True)
    rows = [
        {"department": departments[d], "period": p, **counts}
        for (d, p), counts in sorted(cells.items(), key=lambda kv: (kv[0][0], periods.index(kv[0][1])))
    ]
    drill = [
        o
        for o in obligations
        if (not department or o.project.lead_department.code == department) and (not period or o.code == period)
    ]
    drill.sort(key=lambda o: (o.project.lead_department.code, o.project.code, o.code))
    return {
        "as_of": as_of,
        "periods": periods,
        "departments": sorted(departments.values(), key=lambda d: (d.kind, d.code)),
        "cells": cells,
        "rows": rows,
        "obligations": drill,
        "totals": {k: sum(c[k] for c in cells.values()) for k in COUNT_KEYS},
    }


def department_obligations(*, user: User, as_of: dt.date | None = None) -> list[Obligation]:
    """The obligations of the projects the user's department leads, newest period first."""
    as_of = as_of or clock.today()
    if not user.department_id:
        return []
    qs = Project.objects.filter(lead_department_id=user.department_id)
    out = obligations_across(projects_with_obligations(qs), as_of)
    out.sort(key=lambda o: (o.due, o.project.code), reverse=True)
    return out


def reminders_due(*, days: int, today: dt.date | None = None) -> list[tuple[Obligation, str]]:
    """(obligation, threshold) pairs to mail about today: `overdue`, or `upcoming_<days>` for a
    pending report due within `days` days (the due day included)."""
    today = today or clock.today()
    out = []
    for o in obligations_across(projects_with_obligations(), today):
        if o.status == fr.OVERDUE:
            out.append((o, "overdue"))
        elif o.status == fr.PENDING and 0 <= o.due_in(today) <= days:
            out.append((o, f"upcoming_{days}"))
    return out
