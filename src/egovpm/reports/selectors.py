"""Reads of the reports app: obligations and their statuses as of any date, one report's record,
the pre-filled draft, the recipients' portfolio and the reminders due.

Obligations are derived (rules/facts_reports.py) from the project's stage events and the date;
one project's are computed from its records, today's across projects are read from the stored rows
(ReportObligation, kept as fresh as the stored verdicts: reports/obligations.py). Project-scoped
reads take a project the caller reached through projects.policies.project_for; the portfolio goes
through projects.policies.restrict."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Prefetch, Q, QuerySet, Subquery
from django.utils import translation

from egovpm.accounts.models import Department, User
from egovpm.core import clock, lists
from egovpm.core.bounded import bounded
from egovpm.core.errors import DomainError, FieldError, InvalidInput, NotFound
from egovpm.core.percent import percent_rounded
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import Action, Stage
from egovpm.projects.models import Project, StageEvent
from egovpm.reports import obligations
from egovpm.reports.choices import Recipient
from egovpm.reports.errors import ReportError
from egovpm.reports.models import (
    ObligationsVersion,
    ReportAcknowledgement,
    ReportDraft,
    ReportObligation,
    ReportReturn,
    ReportSubmission,
)
from egovpm.rules import engine
from egovpm.rules import facts_reports as fr

# Rules whose failures are not construction problems of the period (the report itself).
OWN_RULES = ("C4.1", "C4.2")

# The pre-fill marks what only the department can write with a prompt in these brackets; a report
# still holding one is refused at submission (issue 15): the department replaces or deletes it.
PLACEHOLDER_OPEN = "【待填写："
PLACEHOLDER = re.compile(r"【待填写：[^】]*】")


def prompt(text: str) -> str:
    """A placeholder of the pre-fill: `text` is what the department must write there."""
    return f"{PLACEHOLDER_OPEN}{text}】"


def placeholder_sections(sections: Mapping[str, str]) -> list[str]:
    """The section keys whose text still holds a prompt of the pre-fill (in the report's order)."""
    return [k for k, v in sections.items() if PLACEHOLDER_OPEN in (v or "")]


def without_placeholders(text: str) -> str:
    """The text with the prompts removed (the demo data writes its own words around them)."""
    return PLACEHOLDER.sub("", text).strip()


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
    # 签收 of the current submission when read with the list (else from its relation)
    ack_records: list[ReportAcknowledgement] | None = None

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
        records = self.ack_records if self.ack_records is not None else current.acknowledgements.all()
        return {a.recipient: a for a in records if a.acknowledged_at.astimezone(clock.BEIJING).date() <= self.as_of}

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
    return _obligations_from(project, project.events.all(), list(project.report_submissions.all()), None, as_of, params)


def _obligations_from(
    project: Project,
    events: Iterable[Any],
    submissions: list[ReportSubmission],
    acks: Mapping[Any, list[ReportAcknowledgement]] | None,
    as_of: dt.date,
    params: Mapping[str, Any],
) -> list[Obligation]:
    """The project's obligations from its stage events (`.action`, `.effective_date`, in order) and
    its submissions (oldest version first; `acks`: their 签收 by submission pk, else each one's own
    relation)."""
    facts = []
    for s in submissions:
        ret = getattr(s, "returned", None)
        facts.append(fr.ReportSubmissionFact(s.period, s.version, s.submitted_at, ret.returned_at if ret else None))
    states = fr.report_obligations(events, facts, as_of, params)
    out = []
    for state in states:
        made = [
            s
            for s in submissions
            if s.period == state.code and s.submitted_at.astimezone(clock.BEIJING).date() <= as_of
        ]
        records = None if acks is None else acks.get(made[-1].pk, []) if made else []
        out.append(Obligation(project=project, state=state, as_of=as_of, submissions=made, ack_records=records))
    return out


def report_obligations_for(*, project: Project, as_of: dt.date | None = None) -> list[Obligation]:
    """Every report obligation of the project as of `as_of` (today in Beijing when None), oldest
    first: two queries, its stage events (action and date) and its submissions with their returns
    and 签收 (_listed_submissions, every column of a submission: the detail shows its texts)."""
    as_of = as_of or clock.today()
    events = StageEvent.objects.filter(project_id=project.pk).order_by("seq")
    listed = _listed_submissions({project.pk}, None, _ALL_SUBMISSION_FIELDS)
    return _obligations_from(
        project,
        list(events.values_list("action", "effective_date", named=True)),
        [s for s, _records in listed],
        {s.pk: records for s, records in listed},
        as_of,
        pack_params(project.regime),
    )


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
    """An execution rate as a percentage with two decimals, rounded UP (spending over the approved
    amount, C3.6, passes only at or under 100 %: 100.001 % reads 100.01 %, never 100.00 %) — the
    text of the report, its DOCX/PDF and the screen (exact value on hover there: `percent_exact`)."""
    return percent_rounded(rate, "lower")


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
        content_lines.append(f"{label}无阶段变化，未归档新的文件。")
    content_lines.append(prompt("本期完成的主要建设内容、形成的成果；已在上文列明的可删除本提示"))
    content = "\n".join(content_lines)

    # 招标投标: the tender and contract documents filed in the period; the rest only the department knows
    tender_docs = [d for d in docs if d.category in ("tender_documents", "contract")]
    tendering = prompt("本期招标投标情况：招标项目、招标方式、中标单位、合同金额")
    if tender_docs:
        tendering = (
            "本期已归档的招标和合同文件：" + "；".join(f"《{d.title}》" for d in tender_docs) + "。\n" + tendering
        )

    # 概预算执行: the spending ledger at the end of the period
    data = budget_execution_of(project, end)
    table = budget_table(data)
    if table is None:
        budget = "本项目尚未在系统中录入投资概算。" + prompt("截至本期末的概算、累计完成投资和执行率")
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
        problems = "合规检查未发现问题。"
    problems += "\n" + prompt("建设中遇到的其他问题及拟采取的措施；没有则删除本提示")

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


def report_working_copy(*, project: Project, obligation: Obligation, today: dt.date | None = None) -> dict[str, Any]:
    """Where the lead department's form starts: its saved draft; else, for a returned report, what
    was sent; else the pre-fill from the records. `origin` says which ("draft", "returned",
    "records"); `placeholder_sections` the sections still holding a prompt; `budget` the ledger's
    table as of the period's end (today while it runs)."""
    today = today or clock.today()
    prefill = report_prefill(project=project, period=obligation.period, today=today)
    draft = ReportDraft.objects.filter(project=project, period=obligation.code).select_related("saved_by").first()
    if draft is not None:
        sections, assessment, origin = dict(draft.sections), draft.self_assessment, "draft"
    elif obligation.status == fr.RETURNED and obligation.current is not None:
        sections, assessment, origin = dict(obligation.current.sections), obligation.current.self_assessment, "returned"
    else:
        sections, assessment, origin = prefill["sections"], "", "records"
    return {
        "period": obligation.code,
        "origin": origin,
        "sections": sections,
        "self_assessment": assessment,
        "saved_at": draft.saved_at if draft else None,
        "saved_by": draft.saved_by if draft else None,
        "budget": prefill["budget"],
        "placeholder_sections": placeholder_sections(sections),
    }


# ---------------------------------------------------------------- across projects
#
# Today's obligations are read from the stored rows (ReportObligation, reports/obligations.py)
# after ensure_fresh(); the records behind a row (submissions, returns, 签收) are loaded for the rows
# of one page only. A date in the past keeps the computation from the records, bounded: see
# `report_portfolio`.

COUNT_KEYS = ("on_time", "late", "overdue", "pending", "returned", "total")
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# A past `as_of` recomputes from the records: at most this many projects per request (pick a
# department beyond it).
PAST_AS_OF_MAX_PROJECTS = 2000
MATRIX_CACHE_SECONDS = 300


@dataclass
class Page:
    """One page of a list: the items, the total count, and the page's place."""

    items: list[Any]
    count: int
    number: int
    size: int

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.count

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size)) if self.size else 1


def page_bounds(page: Any = 1, page_size: Any = PAGE_SIZE) -> tuple[int, int]:
    """(page ≥ 1, size within 1..MAX_PAGE_SIZE) from query values; a bad value is a 400."""
    try:
        number = int(page or 1)
        size = int(page_size or PAGE_SIZE)
    except (TypeError, ValueError):
        raise InvalidInput(fields={"page": FieldError(ReportError.PAGE_INVALID)}) from None
    if number < 1 or size < 1:
        raise InvalidInput(fields={"page": FieldError(ReportError.PAGE_INVALID)})
    return number, min(size, MAX_PAGE_SIZE)


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


def _bucket(o: Obligation) -> str:
    return obligations.bucket_of(o.state)


def stored_obligations(user: User) -> QuerySet[ReportObligation]:
    """Today's stored obligations of the projects `user` may view (fresh: call ensure_fresh first)."""
    qs = ReportObligation.objects.all()
    if project_policies.scope_q(user, "view") is not None:
        qs = qs.filter(project__in=project_policies.restrict(user, "view"))
    return qs


def matrix_key(user: User, as_of: dt.date) -> str:
    """The cache key of the matrix of a user who sees the whole portfolio ("" for a narrower scope):
    the date and the stamp of the stored obligations (see _matrix_counts)."""
    if project_policies.scope_q(user, "view") is not None:
        return ""
    return f"reports:matrix:{as_of.isoformat()}:{obligations.current_version()}"


# What is counted over the whole portfolio's stored rows (the matrix counts, NDRC's and MoF's
# submissions awaiting their 签收) under a key carrying the date and the obligations' stamp
# (ObligationsVersion, replaced in the same transaction as any rebuild that changes a row): kept in
# Django's cache, shared by the workers, and in this process as well (unpickling ~1,000 matrix
# cells cost 4 ms a request). A new stamp is a new key, so what is kept is exactly as right as the
# rows; one key per name is kept in the process, the newest. Readers never change the values.
_stamped_memo: dict[str, tuple[str, Any]] = {}


def _stamped(name: str, key: str, compute: Callable[[], Any]) -> Any:
    kept = _stamped_memo.get(name)
    if kept is not None and kept[0] == key:
        return kept[1]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, MATRIX_CACHE_SECONDS)
    _stamped_memo[name] = (key, value)
    return value


def _matrix_counts(user: User, key: str) -> list[dict[str, Any]]:
    """[{department_id, period, on_time, late, overdue, pending, returned, total}] by one GROUP BY
    over the stored rows of the user's scope.

    Cached for a user who sees the whole portfolio (NDRC, MoF): the key is the date and the
    stamp of the stored obligations (ObligationsVersion), which every rebuild that changes a row
    replaces by a new random one in its own transaction — so a cached matrix is never older than
    the rows it was counted from, and a cache shared by several workers (or one cache per worker) stays right. A
    narrower scope (a department's) is counted each time: it is small, and its membership can
    change without the rows changing."""
    if key:
        return list(_stamped("matrix", key, lambda: tuple(_count_matrix(user))))
    return _count_matrix(user)


def _count_matrix(user: User) -> list[dict[str, Any]]:
    counts = {
        "on_time": Count("pk", filter=Q(bucket="on_time")),
        "late": Count("pk", filter=Q(bucket="late")),
        "overdue": Count("pk", filter=Q(bucket="overdue")),
        "pending": Count("pk", filter=Q(bucket="pending")),
        "returned": Count("pk", filter=Q(returned=True)),
        "total": Count("pk"),
    }
    return [dict(r) for r in stored_obligations(user).values("department_id", "period").annotate(**counts).order_by()]


def _period_order(periods: Iterable[str]) -> list[str]:
    """Newest first; in a year the annual period before the half-year."""
    return sorted(set(periods), key=lambda c: (c[:4], c.endswith("H1") is False), reverse=True)


def _matrix(departments: Mapping[Any, Department], counts: list[dict[str, Any]]) -> dict[str, Any]:
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for r in counts:
        dept = departments[r["department_id"]]
        cells[(dept.code, r["period"])] = {k: r[k] for k in COUNT_KEYS}
    periods = _period_order(p for _d, p in cells)
    by_code = {d.code: d for d in departments.values()}
    rows = [
        {"department": by_code[d], "period": p, **c}
        for (d, p), c in sorted(cells.items(), key=lambda kv: (kv[0][0], periods.index(kv[0][1])))
    ]
    return {
        "periods": periods,
        "departments": sorted({by_code[d] for d, _p in cells}, key=lambda d: (d.kind, d.code)),
        "cells": cells,
        "rows": rows,
        "totals": {k: sum(c[k] for c in cells.values()) for k in COUNT_KEYS},
    }


# The whole portfolio's matrix (departments × periods: ~1,000 cells at national scale, 11 ms to
# build) under its full key — the counts' key and the departments' names — kept in this process:
# the same counts and the same names give the same matrix, so it is exactly as right as the counts'
# cache. One entry, the newest. Readers never change it (report_portfolio copies the outer dict).
_matrix_memo: dict[str, dict[str, Any]] = {}


def _matrix_of(key: str, counts: list[dict[str, Any]]) -> dict[str, Any]:
    """_matrix of the counts with their departments; for the whole portfolio (`key`) with
    `cache_key` (what a cached rendering of it depends on beyond the counts: the names), read from
    the process's memo when the departments' names are the ones it was built with."""
    ids = {r["department_id"] for r in counts}
    if not key:
        return _matrix(Department.objects.in_bulk(ids), counts)
    names = sorted(Department.objects.filter(pk__in=ids).values_list("pk", "code", "name", "kind"))
    full = f"{key}:{hashlib.sha256(repr(names).encode()).hexdigest()[:16]}"
    data = _matrix_memo.get(full)
    if data is None:
        data = {**_matrix(Department.objects.in_bulk(ids), counts), "cache_key": full}
        _matrix_memo.clear()
        _matrix_memo[full] = data
    return dict(data)


def _drill_count(cells: Mapping[tuple[str, str], Mapping[str, int]], department: str, period: str) -> int:
    return sum(
        c["total"] for (d, p), c in cells.items() if (not department or d == department) and (not period or p == period)
    )


def obligations_of_rows(rows: Iterable[ReportObligation], as_of: dt.date) -> list[Obligation]:
    """The Obligation (with its submissions, return and 签收) of each stored row, in the rows'
    order: the records of the rows' projects only, in a fixed number of queries. Rows computed for
    `as_of` (fresh: ADR 0015) stand for their periods, so only those periods' submissions are read
    and judged (rules.facts_reports.report_state: a status depends on its period's records alone);
    rows of another day recompute their projects' obligations from all their records."""
    rows = list(rows)
    if all(r.computed_on == as_of for r in rows):
        return _obligations_of_fresh_rows(rows, as_of)
    projects = _with_report_records(Project.objects.filter(pk__in={r.project_id for r in rows}))
    found: dict[tuple[Any, str], Obligation] = {}
    for p in projects:
        for o in _obligations(p, as_of, pack_params(p.regime)):
            found[(p.pk, o.code)] = o
    return [found[(r.project_id, r.period)] for r in rows if (r.project_id, r.period) in found]


# What the lists of obligations (the portfolio's drill-down and export, the department's list)
# show of a row's project and records, read as plain rows: model instances with only these fields
# loaded (Model.from_db: any other field would still load on access), no select_related/only()
# machinery (its related selections cost ~2 ms a query), no report texts (a submission's sections
# and budget snapshot are the detail page's).
_PROJECT_FIELDS = ("id", "code", "name", "regime", "lead_department_id")
_DEPARTMENT_FIELDS = ("id", "code", "name")
_SUBMISSION_FIELDS = ("id", "project_id", "period", "version", "submitted_at")
_RETURN_FIELDS = ("id", "submission_id", "returned_at", "comment", "returned_by_id")
_RETURNER_FIELDS = ("id", "username", "display_name")
_ACK_FIELDS = ("id", "submission_id", "recipient", "acknowledged_at")
_ALL_SUBMISSION_FIELDS = tuple(f.attname for f in ReportSubmission._meta.concrete_fields)
DB = "default"


def _plain(model: Any, fields: tuple[str, ...], values: Iterable[Any]) -> Any:
    """An instance of `model` with these fields (attnames) loaded, the others deferred."""
    given = dict(zip(fields, values, strict=True))
    ordered = [given[f.attname] for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(DB, fields, ordered)


# A page of stored rows read with its projects' listed fields (one query: no second read of the
# projects); the names are the projects' and departments' own, never the rows' denormalised codes.
_LISTED = {
    "listed_code": F("project__code"),
    "listed_name": F("project__name"),
    "listed_regime": F("project__regime"),
    "listed_department_id": F("project__lead_department_id"),
    "listed_department_code": F("project__lead_department__code"),
    "listed_department_name": F("project__lead_department__name"),
}


def with_listed_projects(qs: QuerySet[ReportObligation]) -> QuerySet[ReportObligation]:
    """The rows with what obligations_of_rows shows of their projects (see _LISTED)."""
    return qs.annotate(**_LISTED)


def page_with_projects(qs: QuerySet[ReportObligation], start: int, stop: int) -> QuerySet[ReportObligation]:
    """The rows qs[start:stop] in qs's order, with_listed_projects: the page is chosen by qs's own
    query (its plan unchanged: an index walk, no join per skipped row) and the projects are joined
    to the page's rows only — one round trip."""
    page = ReportObligation.objects.filter(pk__in=qs.values("pk")[start:stop])
    return with_listed_projects(page).order_by(*qs.query.order_by)


def _annotated_projects(rows: list[ReportObligation]) -> dict[Any, Project]:
    departments: dict[Any, Department] = {}
    out: dict[Any, Project] = {}
    for r in rows:
        a = r.__dict__
        if r.project_id in out:
            continue
        dept_id = a["listed_department_id"]
        if dept_id not in departments:
            departments[dept_id] = _plain(
                Department, _DEPARTMENT_FIELDS, (dept_id, a["listed_department_code"], a["listed_department_name"])
            )
        values = (r.project_id, a["listed_code"], a["listed_name"], a["listed_regime"], dept_id)
        project = _plain(Project, _PROJECT_FIELDS, values)
        project.lead_department = departments[dept_id]
        out[r.project_id] = project
    return out


def _listed_projects(pks: set[Any]) -> dict[Any, Project]:
    """The projects (PROJECT fields) with their lead departments (code, name), one query."""
    departments: dict[Any, Department] = {}
    out: dict[Any, Project] = {}
    for *values, dept_code, dept_name in Project.objects.filter(pk__in=pks).values_list(
        *_PROJECT_FIELDS, "lead_department__code", "lead_department__name"
    ):
        project = _plain(Project, _PROJECT_FIELDS, values)
        dept_id = values[-1]
        if dept_id not in departments:
            departments[dept_id] = _plain(Department, _DEPARTMENT_FIELDS, (dept_id, dept_code, dept_name))
        project.lead_department = departments[dept_id]
        out[project.pk] = project
    return out


def _listed_submissions(
    pks: set[Any], periods: set[str] | None, fields: tuple[str, ...] = _SUBMISSION_FIELDS
) -> list[tuple[ReportSubmission, list[ReportAcknowledgement]]]:
    """The submissions of these projects (and periods: None, all) with `fields`, their returns (and
    returners: the API names them) and their 签收 (one per recipient at most), oldest version
    first, one query."""
    n_sub, n_ret, n_user = len(fields), len(_RETURN_FIELDS), len(_RETURNER_FIELDS) - 1
    ret_fields = [f"returned__{f}" for f in _RETURN_FIELDS[:-1]] + ["returned__returned_by_id"]
    user_fields = [f"returned__returned_by__{f}" for f in _RETURNER_FIELDS[1:]]
    ack_fields = [f"ack_{r}__{f}" for r in Recipient.values for f in ("id", "acknowledged_at")]
    relations = {
        f"ack_{r}": FilteredRelation("acknowledgements", condition=Q(acknowledgements__recipient=r))
        for r in Recipient.values
    }
    out = []
    chosen = ReportSubmission.objects.filter(project_id__in=pks)
    if periods is not None:
        chosen = chosen.filter(period__in=periods)
    chosen = chosen.annotate(**relations).order_by("period", "version")
    for values in chosen.values_list(*fields, *ret_fields, *user_fields, *ack_fields):
        submission = _plain(ReportSubmission, fields, values[:n_sub])
        ret_values = values[n_sub : n_sub + n_ret]
        ret = None
        if ret_values[0] is not None:
            ret = _plain(ReportReturn, _RETURN_FIELDS, ret_values)
            ret.returned_by = _plain(
                User, _RETURNER_FIELDS, (ret_values[-1], *values[n_sub + n_ret : n_sub + n_ret + n_user])
            )
        ReportSubmission.returned.related.set_cached_value(submission, ret)
        acks = []
        ack_values = values[n_sub + n_ret + n_user :]
        for i, recipient in enumerate(Recipient.values):
            ack_id, at = ack_values[2 * i], ack_values[2 * i + 1]
            if ack_id is not None:
                acks.append(_plain(ReportAcknowledgement, _ACK_FIELDS, (ack_id, submission.pk, recipient, at)))
        out.append((submission, acks))
    return out


def _obligations_of_fresh_rows(rows: list[ReportObligation], as_of: dt.date) -> list[Obligation]:
    """obligations_of_rows for rows computed for `as_of`: one query (the rows' periods'
    submissions with their returns and 签收) when the rows were read with_listed_projects, else
    two (their projects first); no stage events, no other period's records, plain rows (see
    _PROJECT_FIELDS)."""
    if not rows:
        return []
    if all("listed_name" in r.__dict__ for r in rows):  # read with_listed_projects
        projects = _annotated_projects(rows)
    else:
        projects = _listed_projects({r.project_id for r in rows})
    wanted = {(r.project_id, r.period) for r in rows}
    made: dict[tuple[Any, str], list[ReportSubmission]] = {}
    acks: dict[Any, list[ReportAcknowledgement]] = {}
    for s, records in _listed_submissions({r.project_id for r in rows}, {r.period for r in rows}):
        if (s.project_id, s.period) in wanted:
            made.setdefault((s.project_id, s.period), []).append(s)
            acks[s.pk] = records
    out = []
    for r in rows:
        project = projects[r.project_id]
        period = fr.period_from_code(r.period, pack_params(project.regime))
        submissions = made.get((r.project_id, r.period), [])
        facts = [
            fr.ReportSubmissionFact(
                s.period, s.version, s.submitted_at, s.returned.returned_at if _returned(s) else None
            )
            for s in submissions
        ]
        state = fr.report_state(period, facts, as_of)
        shown = [s for s in submissions if s.submitted_at.astimezone(clock.BEIJING).date() <= as_of]
        records = acks.get(shown[-1].pk, []) if shown else []
        out.append(Obligation(project=project, state=state, as_of=as_of, submissions=shown, ack_records=records))
    return out


def _returned(submission: ReportSubmission) -> bool:
    return getattr(submission, "returned", None) is not None


# The drill-down's sortable columns (core/lists.py), stored columns of ReportObligation, and its
# default order (department, project, period: the index report_oblig_drill).
DRILL_SORTS: dict[str, tuple[str, ...]] = {
    "department": ("department_code",),
    "project": ("project_code",),
    "period": ("period",),
    "due": ("due",),
    "status": ("status", "due"),  # the index report_oblig_status_due
}
DRILL_ORDER = ("department_code", "project_code", "period")
# The same columns on a computed Obligation (a past as_of is computed, not read from the rows).
_OBLIGATION_KEYS: dict[str, Any] = {
    "department": lambda o: o.project.lead_department.code,
    "project": lambda o: o.project.code,
    "period": lambda o: o.code,
    "due": lambda o: o.due,
    "status": lambda o: (o.status, o.due),
}


def _sorted_obligations(items: list[Obligation], sort: str, default: Any, newest: bool = False) -> list[Obligation]:
    """`items` in `default` order (descending if `newest`), then (stable) by the whitelisted column
    `sort` names."""
    items = sorted(items, key=default, reverse=newest)
    chosen = lists.sort_param(sort, DRILL_SORTS)
    if chosen:
        items.sort(key=_OBLIGATION_KEYS[chosen.lstrip("-")], reverse=chosen.startswith("-"))
    return items


def report_portfolio(
    *,
    user: User,
    as_of: dt.date | None = None,
    department: str = "",
    period: str = "",
    status: str = "",
    sort: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """Departments × periods with counts on time / late / overdue / pending (a returned report counts
    by its first submission, and also under `returned`), and one page of the obligations behind them
    for the drill-down (filtered by `department`, `period` and `status` through the FilterSet
    reports.filters.ReportObligationFilter, ordered by the whitelisted column `sort` — DRILL_SORTS —
    then by department, project and period; `count` is the drill-down's total). Scoped by
    projects.policies.restrict.

    Today: the stored rows (a GROUP BY, cached for the whole portfolio) and the records of the page's
    projects. A date in the past: computed from the records of every project in scope (of the
    department when one is given), refused beyond PAST_AS_OF_MAX_PROJECTS projects."""
    today = clock.today()
    as_of = as_of or today
    if as_of != today:
        return _past_portfolio(user, as_of, department, period, page, page_size, status=status, sort=sort)
    obligations.ensure_fresh()
    key = matrix_key(user, as_of)
    counts = _matrix_counts(user, key)
    data = _matrix_of(key, counts)
    qs = _drill_rows(user, department, period, status)
    start = (page - 1) * page_size
    rows = page_with_projects(_drill_sorted(qs, sort), start, start + page_size) if page_size else []
    drill = obligations_of_rows(rows, as_of)
    # the matrix's cells count department × period; a status filter is counted from the rows
    count = qs.count() if status and page_size else _drill_count(data["cells"], department, period)
    return {"as_of": as_of, **data, "obligations": drill, "page": Page(drill, count, page, page_size)}


def _past_portfolio(
    user: User,
    as_of: dt.date,
    department: str,
    period: str,
    page: int,
    page_size: int,
    *,
    status: str = "",
    sort: str = "",
) -> dict[str, Any]:
    qs = project_policies.restrict(user, "view")
    if department:
        qs = qs.filter(lead_department__code=department)
    projects = projects_with_obligations(qs)
    if projects.count() > PAST_AS_OF_MAX_PROJECTS:
        raise InvalidInput(
            ReportError.PAST_AS_OF_TOO_WIDE,
            {"max": PAST_AS_OF_MAX_PROJECTS},
            fields={"department": FieldError(ReportError.PAST_AS_OF_NEEDS_DEPARTMENT)},
        )
    everything = obligations_across(projects, as_of)
    departments: dict[Any, Department] = {}
    counts: dict[tuple[Any, str], dict[str, Any]] = {}
    for o in everything:
        dept = o.project.lead_department
        departments[dept.pk] = dept
        cell = counts.setdefault(
            (dept.pk, o.code), {"department_id": dept.pk, "period": o.code, **dict.fromkeys(COUNT_KEYS, 0)}
        )
        cell[_bucket(o)] += 1
        cell["total"] += 1
        cell["returned"] += o.status == fr.RETURNED
    data = _matrix(departments, list(counts.values()))
    drill = [o for o in everything if (not period or o.code == period) and (not status or o.status == status)]
    drill = _sorted_obligations(drill, sort, lambda o: (o.project.lead_department.code, o.project.code, o.code))
    start = (page - 1) * page_size
    shown = drill[start : start + page_size]
    return {"as_of": as_of, **data, "obligations": shown, "page": Page(shown, len(drill), page, page_size)}


def _drill_rows(user: User, department: str, period: str, status: str = "") -> QuerySet[ReportObligation]:
    """The stored obligations of the user's scope narrowed by the list's one FilterSet (its `.qs`);
    the values were validated by the caller (reports.filters.validated)."""
    from egovpm.reports.filters import ReportObligationFilter

    params = {"department": department, "period": period, "status": status}
    return ReportObligationFilter(params, queryset=stored_obligations(user)).qs


def _drill_sorted(qs: QuerySet[ReportObligation], sort: str) -> QuerySet[ReportObligation]:
    return lists.sorted_by(qs, sort, DRILL_SORTS, DRILL_ORDER)


EXPORT_CHUNK = 500


def _stream_obligations(qs: QuerySet[ReportObligation], as_of: dt.date, sort: str = "") -> Iterator[Obligation]:
    """Every obligation of `qs` in drill-down order, EXPORT_CHUNK rows at a time (keyset pages:
    no offset, no list of every row in memory); sorted by a column, in that order, EXPORT_CHUNK
    rows of one streamed query at a time."""
    if lists.sort_param(sort, DRILL_SORTS):
        batch: list[ReportObligation] = []
        for row in _drill_sorted(qs, sort).iterator(chunk_size=EXPORT_CHUNK):
            batch.append(row)
            if len(batch) == EXPORT_CHUNK:
                yield from obligations_of_rows(batch, as_of)
                batch = []
        yield from obligations_of_rows(batch, as_of)
        return
    last: tuple[str, str, str] | None = None
    while True:
        page = qs
        if last is not None:
            d, p, per = last
            page = qs.filter(
                Q(department_code__gt=d)
                | Q(department_code=d, project_code__gt=p)
                | Q(department_code=d, project_code=p, period__gt=per)
            )
        rows = list(page_with_projects(page.order_by("department_code", "project_code", "period"), 0, EXPORT_CHUNK))
        if not rows:
            return
        yield from obligations_of_rows(rows, as_of)
        last = (rows[-1].department_code, rows[-1].project_code, rows[-1].period)


def portfolio_export(
    *,
    user: User,
    as_of: dt.date | None = None,
    department: str = "",
    period: str = "",
    status: str = "",
    sort: str = "",
) -> dict[str, Any]:
    """The portfolio for the XLSX export: the matrix, and under `obligations` the whole drill-down
    as an iterator (today: streamed from the stored rows; a past date: bounded as in
    report_portfolio)."""
    today = clock.today()
    as_of = as_of or today
    if as_of != today:
        return _past_portfolio(user, as_of, department, period, 1, 10**9, status=status, sort=sort)
    data = report_portfolio(user=user, as_of=as_of, department=department, period=period, page=1, page_size=0)
    data["obligations"] = _stream_obligations(_drill_rows(user, department, period, status), as_of, sort)
    return data


OWN_ORDER = ("-due", "-project_code")  # the department's list: newest due date first


def department_obligations(
    *,
    user: User,
    as_of: dt.date | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    period: str = "",
    status: str = "",
    sort: str = "",
) -> Page:
    """One page of the obligations of the projects the user's department leads, narrowed by the
    list's FilterSet (`period`, `status`), ordered by the whitelisted column `sort` (DRILL_SORTS)
    and then newest due date first: the stored rows today, the records of the department's
    projects for a past date. `page_size` 0: every row (the export, at most lists.EXPORT_LIMIT)."""
    from egovpm.reports.filters import ReportObligationFilter

    today = clock.today()
    as_of = as_of or today
    number, size = page, page_size or lists.EXPORT_LIMIT
    if not user.department_id:
        return Page([], 0, number, size)
    start = (number - 1) * size
    if as_of != today:
        qs = Project.objects.filter(lead_department_id=user.department_id)
        out = [
            o
            for o in obligations_across(projects_with_obligations(qs), as_of)
            if (not period or o.code == period) and (not status or o.status == status)
        ]
        out = _sorted_obligations(out, sort, lambda o: (o.due, o.project.code), newest=True)
        return Page(out[start : start + size], len(out), number, size)
    obligations.ensure_fresh(Project.objects.filter(lead_department_id=user.department_id))
    rows = ReportObligationFilter(
        {"period": period, "status": status},
        queryset=ReportObligation.objects.filter(department_id=user.department_id),
    ).qs
    page_rows = page_with_projects(lists.sorted_by(rows, sort, DRILL_SORTS, OWN_ORDER), start, start + size)
    return Page(obligations_of_rows(page_rows, as_of), rows.count(), number, size)


def _light_obligation(row: ReportObligation, as_of: dt.date) -> Obligation:
    """An Obligation from a stored row alone (no submissions loaded): for titles, dates, mails."""
    p = fr.period_from_code(row.period, pack_params(row.project.regime))
    return Obligation(project=row.project, state=fr.ReportState(p, row.status), as_of=as_of)


INBOX_LIMIT = 20


def inbox_obligations(*, user: User, horizon: int, limit: int | None = None) -> Page:
    """待办 of the lead department: overdue, returned, or pending and due within `horizon` days; the
    most urgent `limit` (earliest due first) and the total count."""
    today = clock.today()
    limit = limit or INBOX_LIMIT
    if not user.department_id:
        return Page([], 0, 1, limit)
    obligations.ensure_fresh(Project.objects.filter(lead_department_id=user.department_id))
    qs = ReportObligation.objects.filter(department_id=user.department_id).filter(
        Q(status__in=(fr.OVERDUE, fr.RETURNED)) | Q(status=fr.PENDING, due__lte=today + dt.timedelta(days=horizon))
    )
    rows, count = bounded(qs.select_related("project").order_by("due", "project_code", "period"), limit)
    return Page([_light_obligation(r, today) for r in rows], count, 1, limit)


def unacknowledged(*, user: User, recipient: str, limit: int | None = None) -> Page:
    """待办 of NDRC / MoF: submitted reports (standing, not returned) the recipient has not
    acknowledged, in the user's scope; the oldest due first, `limit` of them and the total count
    (the stored rows' awaits_ndrc / awaits_mof, each with its partial index)."""
    today = clock.today()
    limit = limit or INBOX_LIMIT
    obligations.ensure_fresh()
    qs = stored_obligations(user).filter(**{f"awaits_{recipient}": True})
    oldest = qs.select_related("project").order_by("due", "project_code", "period")
    if project_policies.scope_q(user, "view") is not None:  # a narrower scope: counted with its rows
        rows, count = bounded(oldest, limit)
        return Page([_light_obligation(r, today) for r in rows], count, 1, limit)
    # The whole portfolio: 100,000+ rows to count (15 ms), kept under the obligations' stamp,
    # which the page's own query reads (no round trip of its own); a short page is its count.
    stamp = ObligationsVersion.objects.filter(pk=1).values("version")
    rows = list(oldest.annotate(stamp_=Subquery(stamp))[:limit])
    count = len(rows)
    if count == limit:
        key = f"reports:awaits_{recipient}:{today.isoformat()}:{getattr(rows[0], 'stamp_', None) or 0}"
        count = _stamped(f"awaits_{recipient}", key, qs.count)
    return Page([_light_obligation(r, today) for r in rows], count, 1, limit)


def reminders_due(*, days: int, today: dt.date | None = None) -> list[tuple[Obligation, str]]:
    """(obligation, threshold) pairs to mail about today: `overdue`, or `upcoming_<days>` for a
    pending report due within `days` days (the due day included). From the stored rows as of today;
    another date recomputes from the records."""
    real_today = clock.today()
    today = today or real_today
    if today != real_today:
        return _reminders_computed(days, today)
    obligations.ensure_fresh()
    qs = ReportObligation.objects.filter(
        Q(status=fr.OVERDUE) | Q(status=fr.PENDING, due__gte=today, due__lte=today + dt.timedelta(days=days))
    ).select_related("project__lead_department")
    out = []
    for row in qs.order_by("department_code", "project_code", "period").iterator(chunk_size=2000):
        out.append((_light_obligation(row, today), "overdue" if row.status == fr.OVERDUE else f"upcoming_{days}"))
    return out


def _reminders_computed(days: int, today: dt.date) -> list[tuple[Obligation, str]]:
    out = []
    for o in obligations_across(projects_with_obligations(), today):
        if o.status == fr.OVERDUE:
            out.append((o, "overdue"))
        elif o.status == fr.PENDING and 0 <= o.due_in(today) <= days:
            out.append((o, f"upcoming_{days}"))
    return out
