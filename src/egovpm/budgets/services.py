"""Writes of the budgets app (clause 3, domain.md §5).

Every write follows one order (style.md habit 2): atomic → lock → check → change → save → audit.
Every decision on an adjustment locks the project's Estimate row first, so decisions on one
project are serialised: the route is recomputed against the estimate as it stands after every
earlier decision committed, and two decisions at the same moment can never together pass the
15 % line (tests/budgets/test_concurrency_pg.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.budgets import policies
from egovpm.budgets.choices import (
    ADJUSTABLE_STAGES,
    ESTIMATE_EDITABLE_STAGES,
    AdjustmentStatus,
    BaselineSource,
    Reason,
    Route,
)
from egovpm.budgets.errors import BudgetError
from egovpm.budgets.models import (
    Adjustment,
    AdjustmentItem,
    Baseline,
    BaselineLine,
    Estimate,
    EstimateLine,
    Expenditure,
)
from egovpm.budgets.routing import Params, RouteResult, route_request
from egovpm.budgets.selectors import adjustment_for
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput
from egovpm.documents.choices import Category
from egovpm.documents.models import Document
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project, StageEvent
from egovpm.rules import engine

ZERO = Decimal(0)
MAX_CODE = 20
MAX_NAME = 200


@dataclass(frozen=True)
class LineIn:
    code: str
    name: str
    amount: Decimal


# ------------------------------------------------------------------ helpers


def routing_params(project: Project) -> Params:
    """The 15 %, `cumulative` and the allowed reasons come from the project's rule pack."""
    pack = engine.load_pack(project.regime)
    return Params.from_pack(pack.rule("C3.3").params, pack.rule("C3.4").params)


def _lines_state(estimate: Estimate) -> list[dict[str, str]]:
    return [{"code": li.code, "name": li.name, "amount": str(li.amount)} for li in estimate.lines.all()]


def _prior(estimate: Estimate) -> Decimal:
    """Σ moved of the self-approvals approved since the current baseline (domain.md §5 `prior`)."""
    total = Adjustment.objects.filter(
        decided_baseline_id=estimate.baseline_id,
        status=AdjustmentStatus.APPROVED,
        route=Route.SELF_APPROVAL,
    ).aggregate(s=Sum("moved"))["s"]
    return total or ZERO


def _route(estimate: Estimate, proposed: dict[str, Decimal], goals_unchanged: bool, reason: str) -> RouteResult:
    current = {li.code: li.amount for li in estimate.lines.all()}
    return route_request(
        baseline_total=estimate.total,
        current=current,
        proposed=proposed,
        prior=_prior(estimate),
        goals_unchanged=goals_unchanged,
        reason=reason,
        params=routing_params(estimate.project),
    )


def _locked_estimate(project: Project) -> Estimate:
    # The lock every adjustment decision takes (see the module docstring).
    estimate = (
        Estimate.objects.select_for_update(of=("self",)).filter(project=project).select_related("project").first()
    )
    if estimate is None or estimate.baseline_id is None:
        raise Conflict(BudgetError.NO_BASELINE)
    return estimate


def _check_lines(items: list[LineIn], *, field: str = "items") -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    seen: set[str] = set()
    for i, item in enumerate(items):
        code = item.code.strip()
        if not code:
            errors[f"{field}[{i}].code"] = FieldError(CoreError.REQUIRED)
        elif len(code) > MAX_CODE:
            errors[f"{field}[{i}].code"] = FieldError(BudgetError.CODE_TOO_LONG, {"max": MAX_CODE})
        elif code in seen:
            errors[f"{field}[{i}].code"] = FieldError(BudgetError.CODE_TWICE, {"code": code})
        seen.add(code)
        if len(item.name.strip()) > MAX_NAME:
            errors[f"{field}[{i}].name"] = FieldError(BudgetError.NAME_TOO_LONG, {"max": MAX_NAME})
        if item.amount < 0:
            errors[f"{field}[{i}].amount"] = FieldError(BudgetError.NEGATIVE)
    return errors


# ------------------------------------------------------------------ the estimate


def estimate_put(*, actor: User, project_id: Any, total: Decimal, items: list[LineIn]) -> Estimate:
    """Enter or replace the draft estimate (total + sub-projects), only before the preliminary
    design is approved. The lines may not yet add up: C3.0 judges that at the approval."""
    with transaction.atomic():
        # The project row lock serialises this with approve_preliminary_design (which snapshots).
        project = project_policies.project_for(actor, project_id, "edit_estimate", for_update=True)
        project_policies.require(policies.may_edit_estimate(actor, project), BudgetError.ESTIMATE_LEAD_ONLY)
        estimate = Estimate.objects.select_for_update().filter(project=project).first()
        if project.stage not in ESTIMATE_EDITABLE_STAGES or (estimate is not None and estimate.baseline_id):
            raise Conflict(BudgetError.ESTIMATE_LOCKED)
        errors = _check_lines(items)
        if not items:
            errors["items"] = FieldError(BudgetError.ONE_LINE_NEEDED)
        if total <= 0:
            errors["total"] = FieldError(BudgetError.MUST_BE_POSITIVE)
        if errors:
            raise InvalidInput(BudgetError.ESTIMATE_NOT_SAVED, fields=errors)
        now = clock.now()
        old = None
        if estimate is None:
            estimate = Estimate.objects.create(
                project=project, total=total, created_at=now, updated_at=now, updated_by=actor
            )
        else:
            old = {"total": str(estimate.total), "items": _lines_state(estimate)}
            estimate.total = total
            estimate.updated_at = now
            estimate.updated_by = actor
            estimate.save(update_fields=["total", "updated_at", "updated_by"])
            estimate.lines.all().delete()
        EstimateLine.objects.bulk_create(
            EstimateLine(estimate=estimate, code=i.code.strip(), name=i.name.strip(), amount=i.amount, position=n)
            for n, i in enumerate(items)
        )
        audit_record(
            actor=actor,
            action=AuditAction.ESTIMATE_PUT,
            obj=estimate,
            project_id=str(project.pk),
            old=old,
            new={"total": str(total), "items": _lines_state(estimate)},
        )
    return estimate


def baseline_on_approval(project: Project, event: StageEvent, actor: User) -> None:
    """Transition hook (inside approve_preliminary_design's transaction): the estimate becomes the
    first baseline. C3.0 has already passed, so the estimate exists and adds up."""
    if event.action != "approve_preliminary_design":
        return
    estimate = Estimate.objects.select_for_update().filter(project=project).first()
    if estimate is None or estimate.baseline_id is not None:
        return
    _snapshot(
        estimate,
        actor=actor,
        approved_on=event.effective_date,
        source=BaselineSource.PRELIMINARY_DESIGN,
        reference=event.approval_reference,
    )
    # No audit row of its own: the snapshot is part of the approve_preliminary_design move, whose
    # audit row (same transaction) records it; the Baseline row keeps who and when, and its lines
    # equal the estimate's last audited `estimate.put`.


def _snapshot(
    estimate: Estimate,
    *,
    actor: User,
    approved_on: dt.date,
    source: str,
    reference: str = "",
    adjustment: Adjustment | None = None,
) -> Baseline:
    seq = (Baseline.objects.filter(project=estimate.project_id).aggregate(m=Max("seq"))["m"] or 0) + 1
    baseline = Baseline.objects.create(
        project_id=estimate.project_id,
        seq=seq,
        total=estimate.total,
        approved_on=approved_on,
        source=source,
        approval_reference=reference,
        adjustment=adjustment,
        created_at=clock.now(),
        created_by=actor,
    )
    BaselineLine.objects.bulk_create(
        BaselineLine(baseline=baseline, code=li.code, name=li.name, amount=li.amount, position=li.position)
        for li in estimate.lines.all()
    )
    estimate.baseline = baseline
    estimate.updated_at = clock.now()
    estimate.updated_by = actor
    estimate.save(update_fields=["baseline", "updated_at", "updated_by"])
    return baseline


# ------------------------------------------------------------------ adjustment requests


@dataclass(frozen=True)
class Proposal:
    """A validated request: the new amounts, names of new lines, and the routing."""

    proposed: dict[str, Decimal]
    names: dict[str, str]
    old: dict[str, Decimal]
    new_codes: frozenset[str]
    result: RouteResult


def _proposal(estimate: Estimate, items: list[LineIn], goals_unchanged: bool, reason: str) -> Proposal:
    errors = _check_lines(items)
    if not items:
        errors["items"] = FieldError(BudgetError.NAME_A_CHANGE)
    if reason not in Reason.values:
        errors["reason"] = FieldError(BudgetError.ONE_OF, {"choices": ", ".join(Reason.values)})
    current = {li.code: li for li in estimate.lines.all()}
    proposed: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for i, item in enumerate(items):
        code = item.code.strip()
        line = current.get(code)
        if line is None:
            if not item.name.strip() and f"items[{i}].name" not in errors:
                errors[f"items[{i}].name"] = FieldError(BudgetError.NEW_LINE_NEEDS_NAME)
            names[code] = item.name.strip()
        else:
            if item.name.strip() and item.name.strip() != line.name:
                errors[f"items[{i}].name"] = FieldError(BudgetError.NO_RENAME, {"code": code, "name": line.name})
            if item.amount == line.amount and f"items[{i}].amount" not in errors:
                errors[f"items[{i}].amount"] = FieldError(BudgetError.UNCHANGED, {"amount": str(line.amount)})
            names[code] = line.name
        proposed[code] = item.amount
    if errors:
        raise InvalidInput(BudgetError.ADJUSTMENT_INVALID, fields=errors)
    return Proposal(
        proposed=proposed,
        names=names,
        old={c: current[c].amount if c in current else ZERO for c in proposed},
        new_codes=frozenset(c for c in proposed if c not in current),
        result=_route(estimate, proposed, goals_unchanged, reason),
    )


def adjustment_preview(
    *, actor: User, project_id: Any, items: list[LineIn], goals_unchanged: bool, reason: str
) -> Proposal:
    """What a request would be routed to, without making it (the form's live preview)."""
    project = project_policies.project_for(actor, project_id, "request_adjustment")
    project_policies.require(policies.may_request(actor, project), BudgetError.REQUEST_LEAD_ONLY)
    estimate = Estimate.objects.filter(project=project).select_related("project").first()
    if estimate is None or estimate.baseline_id is None:
        raise Conflict(BudgetError.NO_BASELINE)
    return _proposal(estimate, items, goals_unchanged, reason)


def _document(project: Project, document_id: Any, category: str, field: str) -> Document:
    import uuid

    try:
        pk = uuid.UUID(str(document_id))
    except ValueError:
        raise InvalidInput(
            BudgetError.UNKNOWN_DOCUMENT, fields={field: FieldError(CoreError.UNKNOWN, {"value": str(document_id)})}
        ) from None
    document = Document.objects.filter(pk=pk, project=project).first()
    if document is None:
        raise InvalidInput(BudgetError.UNKNOWN_DOCUMENT, fields={field: FieldError(BudgetError.NOT_PROJECT_DOCUMENT)})
    if document.category != category:
        wanted = {"category": category}
        raise InvalidInput(
            BudgetError.WRONG_CATEGORY, wanted, fields={field: FieldError(BudgetError.CATEGORY_MUST_BE, wanted)}
        )
    return document


def _adjustment_state(a: Adjustment) -> dict[str, Any]:
    return {
        "number": a.number,
        "status": a.status,
        "route": a.route,
        "moved": str(a.moved),
        "ratio": a.ratio,
        "cumulative_ratio": a.cumulative_ratio,
        "new_total": str(a.new_total),
        "baseline_total": str(a.baseline_total),
        "failed": list(a.failed),
    }


def adjustment_create(
    *,
    actor: User,
    project_id: Any,
    items: list[LineIn],
    goals_unchanged: bool,
    reason: str,
    description: str,
    changes_main_content: bool = False,
    report_document: Any = None,
) -> Adjustment:
    """Make a request; it is routed at once (domain.md §5) and shows every failing reason."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "request_adjustment")
        project_policies.require(policies.may_request(actor, project), BudgetError.REQUEST_LEAD_ONLY)
        if project.stage not in ADJUSTABLE_STAGES:
            raise Conflict(BudgetError.NOT_IN_CONSTRUCTION, {"stage": project.stage})
        estimate = _locked_estimate(project)  # also serialises the request numbers
        if not description.strip():
            raise InvalidInput(BudgetError.DESCRIPTION_REQUIRED, fields={"description": FieldError(CoreError.REQUIRED)})
        proposal = _proposal(estimate, items, goals_unchanged, reason)
        document = (
            _document(project, report_document, Category.ADJUSTMENT_REPORT, "report_document")
            if report_document
            else None
        )
        r = proposal.result
        if r.new_total <= 0:
            # an estimate is never zero (the database says so too): cancel the project instead
            raise InvalidInput(BudgetError.TOTAL_ZERO, fields={"items": FieldError(BudgetError.TOTAL_WOULD_BE_ZERO)})
        assert estimate.baseline is not None  # _locked_estimate refuses a draft
        number = (Adjustment.objects.filter(project=project).aggregate(m=Max("number"))["m"] or 0) + 1
        adjustment = Adjustment.objects.create(
            project=project,
            number=number,
            reason=reason,
            goals_unchanged=goals_unchanged,
            changes_main_content=changes_main_content,
            description=description.strip(),
            report_document=document,
            **r.adjustment_fields(),
            baseline=estimate.baseline,
            estimate_version=estimate.version,
            requested_by=actor,
            requested_at=clock.now(),
        )
        AdjustmentItem.objects.bulk_create(
            AdjustmentItem(
                adjustment=adjustment,
                code=code,
                name=proposal.names[code],
                old_amount=proposal.old[code],
                new_amount=amount,
                is_new=code in proposal.new_codes,
            )
            for code, amount in proposal.proposed.items()
        )
        audit_record(
            actor=actor,
            action=AuditAction.ADJUSTMENT_REQUEST,
            obj=adjustment,
            project_id=str(project.pk),
            new={
                **_adjustment_state(adjustment),
                "reason": reason,
                "goals_unchanged": goals_unchanged,
                "changes_main_content": changes_main_content,
                "items": [
                    {"code": c, "old": str(proposal.old[c]), "new": str(v)} for c, v in proposal.proposed.items()
                ],
            },
        )
    return adjustment


def decision_header(actor: User, adjustment_id: Any) -> Adjustment:
    """Scope 404 → role 403, before any lock."""
    adjustment = adjustment_for(user=actor, adjustment_id=adjustment_id)
    project_policies.require(
        policies.may_decide(actor, adjustment.project, adjustment.route),
        BudgetError.DECIDER_ONLY,
    )
    return adjustment


def adjustment_decide(
    *, actor: User, adjustment_id: Any, decision: str, comment: str = "", approval_reference: str = ""
) -> Adjustment:
    """Approve or reject a pending request. Approving recomputes the route under the estimate's
    lock: a stale request (a named line changed by another approval since it was made) becomes
    `stale`, a self-approval that no longer qualifies is re-routed to NDRC — both committed and
    audited, then refused with 409. Nothing about the estimate changes in either case."""
    if decision not in ("approve", "reject"):
        raise InvalidInput(
            BudgetError.APPROVE_OR_REJECT,
            fields={"decision": FieldError(BudgetError.ONE_OF, {"choices": "approve, reject"})},
        )
    header = decision_header(actor, adjustment_id)
    refusal: Conflict | None = None
    with transaction.atomic():
        estimate = _locked_estimate(header.project)  # lock order: estimate, then the request
        adjustment = Adjustment.objects.select_for_update().get(pk=header.pk)
        # The route may have changed while we waited for the lock (a re-route): ask again.
        project_policies.require(
            policies.may_decide(actor, header.project, adjustment.route),
            BudgetError.REROUTED_ELSEWHERE,
        )
        if adjustment.status != AdjustmentStatus.PENDING:
            raise Conflict(BudgetError.NOT_PENDING, {"status": adjustment.status})
        if header.project.stage not in ADJUSTABLE_STAGES:
            raise Conflict(BudgetError.NO_LONGER_IN_CONSTRUCTION)
        now = clock.now()
        if decision == "reject":
            adjustment.status = AdjustmentStatus.REJECTED
            _record_decision(adjustment, actor, now, comment)
            adjustment.save(update_fields=["status", *DECISION_FIELDS])
            audit_record(
                actor=actor,
                action=AuditAction.ADJUSTMENT_REJECT,
                obj=adjustment,
                project_id=str(adjustment.project_id),
                new={"status": adjustment.status, "comment": comment.strip()},
            )
        else:
            refusal = _approve(estimate, adjustment, actor, now, comment, approval_reference)
    if refusal is not None:
        raise refusal
    return adjustment


DECISION_FIELDS = ["decided_by", "decided_at", "decided_on", "decision_comment"]
ROUTE_FIELDS = ["route", "moved", "prior_moved", "new_total", "baseline_total", "ratio", "cumulative_ratio", "failed"]


def _record_decision(adjustment: Adjustment, actor: User, now: dt.datetime, comment: str) -> None:
    adjustment.decided_by = actor
    adjustment.decided_at = now
    adjustment.decided_on = clock.today()
    adjustment.decision_comment = comment.strip()


def _set_route(adjustment: Adjustment, r: RouteResult) -> None:
    adjustment.moved = r.moved
    adjustment.prior_moved = r.prior
    adjustment.new_total = r.new_total
    adjustment.baseline_total = r.baseline_total
    adjustment.ratio = r.ratio
    adjustment.cumulative_ratio = r.cumulative_ratio
    adjustment.failed = list(r.failed)


def _approve(
    estimate: Estimate, adjustment: Adjustment, actor: User, now: dt.datetime, comment: str, reference: str
) -> Conflict | None:
    items = list(adjustment.items.all())
    codes = [i.code for i in items]
    changed = list(
        estimate.lines.filter(code__in=codes, changed_version__gt=adjustment.estimate_version).values_list(
            "code", flat=True
        )
    )
    if changed:
        # domain.md §5: a request naming a line another approval changed since must be made again
        adjustment.status = AdjustmentStatus.STALE
        _record_decision(adjustment, actor, now, comment)
        adjustment.save(update_fields=["status", *DECISION_FIELDS])
        audit_record(
            actor=actor,
            action=AuditAction.ADJUSTMENT_STALE,
            obj=adjustment,
            project_id=str(adjustment.project_id),
            new={"status": adjustment.status, "changed_lines": sorted(changed)},
        )
        return Conflict(
            BudgetError.STALE_REQUEST,
            {"lines": ", ".join(sorted(changed))},
            data={"changed_lines": sorted(changed), "status": AdjustmentStatus.STALE},
        )
    proposed = {i.code: i.new_amount for i in items}
    result = _route(estimate, proposed, adjustment.goals_unchanged, adjustment.reason)
    if adjustment.route == Route.SELF_APPROVAL and not result.qualifies:
        # clause 3: no longer within the department's own authority → NDRC decides it
        old = _adjustment_state(adjustment)
        adjustment.route = Route.NDRC_APPROVAL
        adjustment.rerouted_at = now
        _set_route(adjustment, result)
        adjustment.save(update_fields=[*ROUTE_FIELDS, "rerouted_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ADJUSTMENT_REROUTE,
            obj=adjustment,
            project_id=str(adjustment.project_id),
            old=old,
            new=_adjustment_state(adjustment),
        )
        return Conflict(
            BudgetError.REROUTED,
            {"failed": ", ".join(result.failed)},
            data={
                "route": Route.NDRC_APPROVAL,
                "failed": list(result.failed),
                "moved": str(result.moved),
                "ratio": result.ratio,
                "cumulative_ratio": result.cumulative_ratio,
            },
        )
    old_lines = _lines_state(estimate)
    version = estimate.version + 1
    existing = {li.code: li for li in estimate.lines.all()}
    position = max((li.position for li in existing.values()), default=0)
    for item in items:
        line = existing.get(item.code)
        if line is None:
            position += 1
            EstimateLine.objects.create(
                estimate=estimate,
                code=item.code,
                name=item.name,
                amount=item.new_amount,
                position=position,
                changed_version=version,
            )
        else:
            line.amount = item.new_amount
            line.changed_version = version
            line.save(update_fields=["amount", "changed_version"])
    estimate.version = version
    estimate.updated_at = now
    estimate.updated_by = actor
    adjustment.status = AdjustmentStatus.APPROVED
    adjustment.decided_baseline_id = estimate.baseline_id
    _record_decision(adjustment, actor, now, comment)
    _set_route(adjustment, result)
    adjustment.save(update_fields=["status", "decided_baseline", *DECISION_FIELDS, *ROUTE_FIELDS])
    new_sum = estimate.lines.aggregate(s=Sum("amount"))["s"] or ZERO
    rebaseline = None
    if adjustment.route == Route.NDRC_APPROVAL:
        # NDRC's approval re-baselines: B is the new total and the cumulative count restarts
        estimate.total = result.new_total
        estimate.save(update_fields=["total", "version", "updated_at", "updated_by"])
        rebaseline = _snapshot(
            estimate,
            actor=actor,
            approved_on=clock.today(),
            source=BaselineSource.NDRC_ADJUSTMENT,
            reference=reference.strip(),
            adjustment=adjustment,
        )
    else:
        estimate.save(update_fields=["version", "updated_at", "updated_by"])
    # invariant (domain.md §5): the current lines sum to at most the current baseline
    if new_sum > estimate.total:  # pragma: no cover — guaranteed by the routing; fail loudly if not
        raise RuntimeError(f"invariant broken: lines {new_sum} > baseline {estimate.total}")
    audit_record(
        actor=actor,
        action=AuditAction.ADJUSTMENT_APPROVE,
        obj=adjustment,
        project_id=str(adjustment.project_id),
        old={"items": old_lines},
        new={
            **_adjustment_state(adjustment),
            "items": _lines_state(estimate),
            "comment": adjustment.decision_comment,
            "rebaseline": {"seq": rebaseline.seq, "total": str(rebaseline.total)} if rebaseline else None,
        },
    )
    return None


def adjustment_withdraw(*, actor: User, adjustment_id: Any) -> Adjustment:
    header = adjustment_for(user=actor, adjustment_id=adjustment_id)
    project_policies.require(policies.may_withdraw(actor, header.project), BudgetError.WITHDRAW_LEAD_ONLY)
    with transaction.atomic():
        Estimate.objects.select_for_update().filter(project_id=header.project_id).first()
        adjustment = Adjustment.objects.select_for_update().get(pk=header.pk)
        if adjustment.status != AdjustmentStatus.PENDING:
            raise Conflict(BudgetError.NOT_PENDING, {"status": adjustment.status})
        adjustment.status = AdjustmentStatus.WITHDRAWN
        adjustment.decided_by = actor
        adjustment.decided_at = clock.now()
        adjustment.decided_on = clock.today()
        adjustment.save(update_fields=["status", "decided_by", "decided_at", "decided_on"])
        audit_record(
            actor=actor,
            action=AuditAction.ADJUSTMENT_WITHDRAW,
            obj=adjustment,
            project_id=str(adjustment.project_id),
            new={"status": adjustment.status},
        )
    return adjustment


def adjustment_file(
    *, actor: User, adjustment_id: Any, filed_on: dt.date, document_id: Any, reference: str = ""
) -> Adjustment:
    """备案: the lead department files the adjustment approval document of a self-approval with
    NDRC, dated on or after the decision and not in the future (clears C3.5 for it)."""
    header = adjustment_for(user=actor, adjustment_id=adjustment_id)
    project_policies.require(policies.may_file(actor, header.project), BudgetError.FILE_LEAD_ONLY)
    with transaction.atomic():
        adjustment = Adjustment.objects.select_for_update().get(pk=header.pk)
        if adjustment.status != AdjustmentStatus.APPROVED or adjustment.route != Route.SELF_APPROVAL:
            raise Conflict(BudgetError.NOT_FILEABLE)
        if adjustment.filed_on is not None:
            raise Conflict(BudgetError.ALREADY_FILED)
        assert adjustment.decided_on is not None
        if filed_on > clock.today():
            raise InvalidInput(BudgetError.FILING_IN_FUTURE, fields={"filed_on": FieldError(CoreError.DATE_IN_FUTURE)})
        if filed_on < adjustment.decided_on:
            decided = {"date": adjustment.decided_on.isoformat()}
            raise InvalidInput(
                BudgetError.FILING_BEFORE_DECISION,
                decided,
                fields={"filed_on": FieldError(BudgetError.BEFORE_DECISION, decided)},
            )
        document = _document(header.project, document_id, Category.ADJUSTMENT_APPROVAL, "document")
        adjustment.filed_on = filed_on
        adjustment.filing_document = document
        adjustment.filing_reference = reference.strip()[:100]
        adjustment.filed_by = actor
        adjustment.filed_at = clock.now()
        adjustment.save(update_fields=["filed_on", "filing_document", "filing_reference", "filed_by", "filed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ADJUSTMENT_FILE,
            obj=adjustment,
            project_id=str(adjustment.project_id),
            new={"filed_on": filed_on.isoformat(), "document": str(document.pk), "reference": reference.strip()},
        )
    return adjustment


def adjustment_acknowledge(*, actor: User, adjustment_id: Any) -> Adjustment:
    """NDRC acknowledges receipt of a filing."""
    header = adjustment_for(user=actor, adjustment_id=adjustment_id)
    project_policies.require(policies.may_acknowledge(actor), BudgetError.ACKNOWLEDGE_NDRC_ONLY)
    with transaction.atomic():
        adjustment = Adjustment.objects.select_for_update().get(pk=header.pk)
        if adjustment.filed_on is None:
            raise Conflict(BudgetError.NOT_FILED)
        if adjustment.acknowledged_at is not None:
            raise Conflict(BudgetError.ALREADY_ACKNOWLEDGED)
        adjustment.acknowledged_by = actor
        adjustment.acknowledged_at = clock.now()
        adjustment.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ADJUSTMENT_ACKNOWLEDGE,
            obj=adjustment,
            project_id=str(adjustment.project_id),
            new={"acknowledged_at": adjustment.acknowledged_at.isoformat()},
        )
    return adjustment


# ------------------------------------------------------------------ spending ledger


@dataclass(frozen=True)
class ExpenditureIn:
    line: str
    spent_on: dt.date
    amount: Decimal
    voucher: str
    note: str = ""


def _spending_project(actor: User, project_id: Any) -> tuple[Project, dict[str, EstimateLine]]:
    project = project_policies.project_for(actor, project_id, "record_spending")
    project_policies.require(policies.may_record_spending(actor, project), BudgetError.SPENDING_LEAD_ONLY)
    estimate = Estimate.objects.filter(project=project).first()
    if estimate is None or estimate.baseline_id is None:
        raise Conflict(BudgetError.SPENDING_NEEDS_BASELINE)
    return project, {li.code: li for li in estimate.lines.all()}


def _expenditure_errors(row: ExpenditureIn, lines: dict[str, EstimateLine]) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    if row.line not in lines:
        errors["line"] = FieldError(BudgetError.UNKNOWN_LINE, {"line": row.line})
    ceiling = sum((li.amount for li in lines.values()), Decimal(0))
    if row.amount <= 0:
        errors["amount"] = FieldError(BudgetError.MUST_BE_POSITIVE)
    elif row.amount > ceiling:
        # One payment larger than the whole current estimate is a typing error, not an overrun (an
        # overrun builds up from plausible entries, and C3.6 reports it): docs/validation.md.
        errors["amount"] = FieldError(BudgetError.OVER_CEILING, {"ceiling": f"{ceiling:.2f}"})
    if row.spent_on > clock.today():
        errors["spent_on"] = FieldError(CoreError.DATE_IN_FUTURE)
    if not row.voucher.strip():
        errors["voucher"] = FieldError(CoreError.REQUIRED)
    elif len(row.voucher.strip()) > 100:
        errors["voucher"] = FieldError(BudgetError.AT_MOST_CHARACTERS, {"max": 100})
    if len(row.note.strip()) > 300:
        errors["note"] = FieldError(BudgetError.AT_MOST_CHARACTERS, {"max": 300})
    return errors


def _expenditure_state(e: Expenditure) -> dict[str, str]:
    return {
        "line": e.line.code,
        "spent_on": e.spent_on.isoformat(),
        "amount": str(e.amount),
        "voucher": e.voucher,
        "note": e.note,
    }


def expenditure_add(*, actor: User, project_id: Any, row: ExpenditureIn) -> Expenditure:
    project, lines = _spending_project(actor, project_id)
    errors = _expenditure_errors(row, lines)
    if errors:
        raise InvalidInput(BudgetError.EXPENDITURE_NOT_RECORDED, fields=errors)
    with transaction.atomic():
        expenditure = Expenditure.objects.create(
            project=project,
            line=lines[row.line],
            spent_on=row.spent_on,
            amount=row.amount,
            voucher=row.voucher.strip(),
            note=row.note.strip(),
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.EXPENDITURE_ADD,
            obj=expenditure,
            project_id=str(project.pk),
            new=_expenditure_state(expenditure),
        )
    return expenditure


def expenditure_import(
    *, actor: User, project_id: Any, rows: list[tuple[int, ExpenditureIn | dict[str, FieldError]]]
) -> list[Expenditure]:
    """Record many expenditures at once — all or nothing. `rows` are (row number, parsed row or the
    row's parse errors); any error anywhere answers 400 with every row's errors and writes nothing."""
    project, lines = _spending_project(actor, project_id)
    report: list[dict[str, Any]] = []
    for number, row in rows:
        errors = row if isinstance(row, dict) else _expenditure_errors(row, lines)
        if errors:
            report.append({"row": number, "errors": errors})
    if not rows:
        raise InvalidInput(BudgetError.FILE_HOLDS_NO_ROWS, fields={"file": FieldError(BudgetError.NO_ROWS)})
    if report:
        raise InvalidInput(BudgetError.IMPORT_REJECTED, {"count": len(report)}, fields={"rows": report})
    now = clock.now()
    with transaction.atomic():
        created = [
            Expenditure.objects.create(
                project=project,
                line=lines[row.line],
                spent_on=row.spent_on,
                amount=row.amount,
                voucher=row.voucher.strip(),
                note=row.note.strip(),
                recorded_by=actor,
                recorded_at=now,
            )
            for _number, row in rows
            if isinstance(row, ExpenditureIn)
        ]
        audit_record(
            actor=actor,
            action=AuditAction.EXPENDITURE_IMPORT,
            object_type="budgets.expenditure",
            project_id=str(project.pk),
            new={"count": len(created), "rows": [_expenditure_state(e) for e in created]},
        )
    return created
