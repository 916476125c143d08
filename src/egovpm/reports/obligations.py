"""The stored report obligations (ReportObligation): rebuilt from the same pure function C4.1/C4.2
judge with (rules.facts_reports.report_obligations), so the portfolio, 待办, the reports pages and
the reminders cannot disagree with the compliance verdicts.

Freshness (issue 13, docs/adr/0015-stored-report-obligations.md): the rows of a project are
rewritten by `rebuild_obligations`, which the compliance app calls (its refresh hook, registered in
ReportsConfig.ready) for every project whose stored verdict it has just refreshed, inside the same
transaction. A verdict is refreshed when a record of the project changed (generation) or when the
date passes its `valid_until` — and the C4.x checks set that to the next date boundary of the
reports (the day after a due date, the first day of a new period). So the rows are exactly as fresh
as the verdicts, and every read calls `ensure_fresh()` first.

Each rebuild that changes a row gives ObligationsVersion a new random stamp in the same transaction: the cached
portfolio matrix is keyed by it (reports.selectors.portfolio_matrix)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from egovpm.core import clock
from egovpm.core.bulk import insert_rows
from egovpm.projects import facts as _facts  # noqa: F401 — registers the `any_of` lookup used below
from egovpm.projects.models import Project, StageEvent
from egovpm.reports.models import ObligationsVersion, ReportAcknowledgement, ReportObligation
from egovpm.rules import engine
from egovpm.rules import facts_reports as fr

CHUNK = 1000  # projects per query (bounded `IN` lists and memory)

# period, due, status, bucket, returned, department id, department code, project code, awaits NDRC, MoF
Row = tuple[str, dt.date, str, str, bool, Any, str, str, bool, bool]
Acks = set[tuple[Any, str, str]]  # (project pk, period, recipient) of the standing submissions' 签收


def bucket_of(state: fr.ReportState) -> str:
    """on_time / late by the first submission (a returned report too), else pending / overdue."""
    if state.on_time is True:
        return "on_time"
    if state.on_time is False:
        return "late"
    return state.status


def _params(regime: str) -> Mapping[str, Any]:
    return engine.load_pack(regime).rule("C4.1").params


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _project_info(pks: Sequence[Any]) -> dict[Any, tuple[str, str, Any, str]]:
    """pk → (regime, project code, lead department id, lead department code)."""
    info: dict[Any, tuple[str, str, Any, str]] = {}
    for chunk in _chunks(pks):
        for pk, regime, code, dept_id, dept_code in Project.objects.filter(pk__any_of=chunk).values_list(
            "pk", "regime", "code", "lead_department_id", "lead_department__code"
        ):
            info[pk] = (regime, code, dept_id, dept_code)
    return info


def _acknowledged(pks: Sequence[Any], as_of: dt.date) -> Acks:
    """签收 (made by `as_of`, Beijing date) of the submissions that are not returned — the standing
    ones: a new version only follows a return. Acknowledging is an audited change of the project,
    so its verdict (and these rows) are refreshed after it."""
    before = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=fr.BEIJING)
    out: Acks = set()
    for chunk in _chunks(pks):
        out |= set(
            ReportAcknowledgement.objects.filter(
                submission__project_id__any_of=chunk, submission__returned__isnull=True, acknowledged_at__lt=before
            ).values_list("submission__project_id", "submission__period", "recipient")
        )
    return out


def _rows(pk: Any, states: list[fr.ReportState], info: tuple[str, str, Any, str], acks: Acks) -> set[Row]:
    _regime, code, dept_id, dept_code = info
    rows = set()
    for s in states:
        standing = s.status in (fr.ON_TIME, fr.LATE)
        rows.add(
            (
                s.code,
                s.period.due,
                s.status,
                bucket_of(s),
                s.status == fr.RETURNED,
                dept_id,
                dept_code,
                code,
                standing and (pk, s.code, "ndrc") not in acks,
                standing and (pk, s.code, "mof") not in acks,
            )
        )
    return rows


# the stored columns of a Row, in its order (read to compare, then written with project and date)
_ROW_FIELDS = (
    "period",
    "due",
    "status",
    "bucket",
    "returned",
    "department_id",
    "department_code",
    "project_code",
    "awaits_ndrc",
    "awaits_mof",
)


def _write(as_of: dt.date, wanted: Mapping[Any, set[Row]]) -> int:
    """Make the stored rows of the projects in `wanted` equal to it; only projects whose rows differ
    are rewritten (and then the version moves). Returns the number of projects rewritten."""
    pks = list(wanted)
    existing: dict[Any, set[Row]] = {pk: set() for pk in pks}
    for chunk in _chunks(pks):
        for pk, *row in ReportObligation.objects.filter(project_id__any_of=chunk).values_list(
            "project_id", *_ROW_FIELDS
        ):
            existing[pk].add(tuple(row))  # the same 10 fields as a Row
    changed = [pk for pk in pks if existing[pk] != wanted[pk]]
    if not changed:
        return 0
    with transaction.atomic():
        for chunk in _chunks(changed):
            ReportObligation.objects.filter(project_id__any_of=chunk).delete()
        insert_rows(
            ReportObligation,
            ("project_id", *_ROW_FIELDS, "computed_on"),
            [(pk, *row, as_of) for pk in changed for row in sorted(wanted[pk], key=lambda r: r[1])],
        )
        _bump_version()
    return len(changed)


def _bump_version() -> None:
    """A new random stamp rather than a counter: a stamp never comes back after a restore, a flush
    or a rolled-back transaction, so a cached matrix can never be taken for a later state."""
    stamp = secrets.randbits(62)
    if ObligationsVersion.objects.filter(pk=1).update(version=stamp):
        return
    try:
        with transaction.atomic():
            ObligationsVersion.objects.create(pk=1, version=stamp)
    except IntegrityError:  # created meanwhile by another transaction
        ObligationsVersion.objects.filter(pk=1).update(version=stamp)


def current_version() -> int:
    return ObligationsVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def rebuild_obligations(facts_by_pk: Mapping[Any, Any], as_of: dt.date, pks: Iterable[Any]) -> int:
    """The compliance refresh hook: rewrite the obligations of `pks` from their facts as of `as_of`
    (the facts the verdicts were just computed from: `events` and `reports.submissions`). A pk with
    no facts (or no project any more) loses its rows. Returns the number of projects rewritten."""
    pks = list(pks)
    info = _project_info(pks)
    acks = _acknowledged(pks, as_of)
    wanted: dict[Any, set[Row]] = {}
    for pk in pks:
        facts = facts_by_pk.get(pk)
        if pk not in info:
            wanted[pk] = set()
            continue
        if facts is None:
            continue  # not refreshed: leave its rows as they are
        reports = getattr(facts, "reports", None)
        submissions = getattr(reports, "submissions", ()) if reports is not None else ()
        states = fr.report_obligations(facts.events, submissions, as_of, _params(info[pk][0]))
        wanted[pk] = _rows(pk, states, info[pk], acks)
    return _write(as_of, wanted)


def refresh_hook(facts_by_pk: dict[Any, Any], as_of: dt.date, pks: list[Any]) -> None:
    """What ReportsConfig.ready registers with compliance.services.register_refresh_hook."""
    rebuild_obligations(facts_by_pk, as_of, pks)


def rebuild_all(as_of: dt.date | None = None) -> int:
    """Rebuild every project's obligations from its records (projects.facts.project_facts_batch,
    1,000 projects at a time), whatever the verdicts say: a repair, should the rows ever be doubted.
    Projects that never entered construction have no rows."""
    from egovpm.projects.facts import project_facts_batch

    as_of = as_of or clock.today()
    started = set(StageEvent.objects.filter(action=fr.START_ACTION).values_list("project_id", flat=True))
    stale = set(ReportObligation.objects.values_list("project_id", flat=True).distinct())
    pks = sorted(started | stale, key=str)
    rewritten = 0
    for chunk in _chunks(pks):
        projects = list(Project.objects.filter(pk__in=chunk).select_related("lead_department"))
        rewritten += rebuild_obligations(project_facts_batch(projects=projects, as_of=as_of), as_of, chunk)
    return rewritten


def ensure_fresh(scope: Any = None) -> None:
    """Before any read of the stored obligations: the compliance app refreshes every stale verdict
    of `scope` (a project queryset or pks; None: every project) and, through the hook, these rows."""
    from egovpm.compliance import selectors as compliance_selectors

    compliance_selectors.ensure_fresh(scope)
