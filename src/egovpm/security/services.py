"""Writes of the security app: information systems (clauses 6 and 9), NDRC's network exceptions
and risk assessments. Each: atomic → lock → check → change → save → audit (style.md habit 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput
from egovpm.core.validators import DATE_ERROR, parse_date
from egovpm.documents.models import Document
from egovpm.projects import policies as project_policies
from egovpm.security import policies, selectors
from egovpm.security.choices import PROTECTION_LEVELS, ClassifiedTier, EvaluationResult, Network, Purpose
from egovpm.security.errors import SecurityError
from egovpm.security.models import InformationSystem, RiskAssessment

TEXT_FIELDS = ("name", "filing_number")
BOOL_FIELDS = ("is_new", "protection_in_needs_analysis", "protection_in_design")
DATE_FIELDS = ("filing_date", "evaluation_date", "migration_target_date")
CHOICE_FIELDS = {
    "purpose": Purpose,
    "network": Network,
    "classified_tier": ClassifiedTier,
    "evaluation_result": EvaluationResult,
}
SYSTEM_FIELDS = (*TEXT_FIELDS, *BOOL_FIELDS, *DATE_FIELDS, *CHOICE_FIELDS, "protection_level")
REQUIRED = ("name", "purpose", "network")
# Evidence dates that record something already done may not lie in the future (api.md).
PAST_DATES = ("filing_date", "evaluation_date")


def _date(value: Any, field: str, errors: dict[str, FieldError]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        errors[field] = FieldError(SecurityError.NOT_AN_INSTANT)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except ValueError:
        errors[field] = DATE_ERROR
        return None


def _clean_choices(data: dict[str, Any], out: dict[str, Any], errors: dict[str, FieldError]) -> None:
    """The yes/no fields, the choice fields and the protection level."""
    for f in BOOL_FIELDS:
        if f in data:
            if not isinstance(data[f], bool):
                errors[f] = FieldError(SecurityError.TRUE_OR_FALSE)
            else:
                out[f] = data[f]
    for f, choices in CHOICE_FIELDS.items():
        if f in data:
            value = str(data[f] or "")
            if value and value not in choices.values:
                errors[f] = FieldError(SecurityError.ONE_OF, {"choices": ", ".join(choices.values)})
            else:
                out[f] = value
    if "protection_level" in data:
        level = data["protection_level"]
        if level in (None, ""):
            out["protection_level"] = None
        elif isinstance(level, bool) or not isinstance(level, int) or level not in PROTECTION_LEVELS:
            errors["protection_level"] = FieldError(SecurityError.LEVEL_RANGE)
        else:
            out["protection_level"] = level


def _clean_required(out: dict[str, Any], errors: dict[str, FieldError], *, creating: bool) -> None:
    if creating:
        for f in REQUIRED:
            if not out.get(f):
                errors.setdefault(f, FieldError(CoreError.REQUIRED))
        return
    for f in ("name", "purpose", "network"):
        if f in out and not out[f]:
            errors[f] = FieldError(CoreError.REQUIRED)


def _clean(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate and normalise the fields given; 400 with every problem at once."""
    unknown = set(data) - set(SYSTEM_FIELDS)
    errors: dict[str, FieldError] = {f: FieldError(CoreError.UNKNOWN_FIELD) for f in sorted(unknown)}
    out: dict[str, Any] = {f: str(data[f] or "").strip() for f in TEXT_FIELDS if f in data}
    _clean_choices(data, out, errors)
    for f in DATE_FIELDS:
        if f in data:
            out[f] = _date(data[f], f, errors)
    today = clock.today()
    for f in PAST_DATES:
        if out.get(f) and out[f] > today:
            errors[f] = FieldError(CoreError.DATE_IN_FUTURE)
    _clean_required(out, errors, creating=creating)
    if errors:
        raise InvalidInput(SecurityError.SYSTEM_NOT_SAVED, fields=errors)
    return out


def _check_grading(system: InformationSystem) -> None:
    if system.protection_level is not None and system.classified_tier:
        raise InvalidInput(
            SecurityError.LEVEL_OR_TIER, fields={"classified_tier": FieldError(SecurityError.EITHER_LEVEL_OR_TIER)}
        )


def system_state(system: InformationSystem) -> dict[str, Any]:
    state: dict[str, Any] = {f: getattr(system, f) for f in SYSTEM_FIELDS}
    for f in DATE_FIELDS:
        state[f] = state[f].isoformat() if state[f] else None
    state["exception_reason"] = system.exception_reason
    return state


def system_create(*, actor: User, project_id: Any, data: dict[str, Any]) -> InformationSystem:
    """Record an information system of the project (api.md POST /projects/{id}/systems)."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "change", for_update=True)
        project_policies.require(policies.may_edit_systems(actor, project), SecurityError.RECORD_SYSTEMS_LEAD_ONLY)
        fields = _clean(data, creating=True)
        now = clock.now()
        system = InformationSystem(project=project, created_by=actor, created_at=now, updated_at=now, **fields)
        _check_grading(system)
        system.save()
        audit_record(
            actor=actor,
            action=AuditAction.SYSTEM_CREATE,
            obj=system,
            project_id=str(project.pk),
            new=system_state(system),
        )
    return system


def system_update(
    *, actor: User, system_id: Any, changes: dict[str, Any], expected_version: int | None = None
) -> InformationSystem:
    """Change a system's record (PATCH): grading, coverage, filing, evaluation, migration plan."""
    with transaction.atomic():
        system = selectors.system_for(user=actor, system_id=system_id, for_update=True)
        project_policies.require(policies.may_edit_systems(actor, system.project), SecurityError.EDIT_SYSTEMS_LEAD_ONLY)
        if expected_version is not None and expected_version != system.version:
            raise Conflict(SecurityError.STALE_VERSION)
        fields = _clean(changes, creating=False)
        old = system_state(system)
        for f, value in fields.items():
            setattr(system, f, value)
        _check_grading(system)
        system.updated_at = clock.now()
        system.version += 1
        system.save(update_fields=[*fields, "updated_at", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.SYSTEM_UPDATE,
            obj=system,
            project_id=str(system.project_id),
            old=old,
            new=system_state(system),
        )
    return system


def system_grant_exception(*, actor: User, system_id: Any, reason: str) -> InformationSystem:
    """NDRC records that this system may use a new dedicated network (clause 9 "原则上"), with why."""
    reason = (reason or "").strip()
    with transaction.atomic():
        system = selectors.system_for(user=actor, system_id=system_id, for_update=True)
        project_policies.require(policies.may_grant_exception(actor), SecurityError.EXCEPTIONS_NDRC_ONLY)
        if not reason:
            raise InvalidInput(
                SecurityError.EXCEPTION_REASON_REQUIRED, fields={"reason": FieldError(CoreError.REQUIRED)}
            )
        if system.network != Network.DEDICATED_NEW:
            raise InvalidInput(
                SecurityError.EXCEPTION_NOT_NEEDED, fields={"network": FieldError(SecurityError.NOT_DEDICATED_NEW)}
            )
        if system.exception_at is not None:
            raise Conflict(SecurityError.ALREADY_GRANTED)
        system.exception_reason = reason
        system.exception_by = actor
        system.exception_at = clock.now()
        system.version += 1
        system.save(update_fields=["exception_reason", "exception_by", "exception_at", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.SYSTEM_NETWORK_EXCEPTION,
            obj=system,
            project_id=str(system.project_id),
            new={"network": system.network, "reason": reason},
        )
    return system


def risk_assessment_record(
    *,
    actor: User,
    project_id: Any,
    assessed_on: dt.date | str | None,
    assessor: str,
    summary: str,
    residual_risks: str = "",
    document: Any = None,
) -> RiskAssessment:
    """Record a risk assessment (api.md POST /projects/{id}/risk-assessments). Its date may not lie
    in the future (400); whether it falls within trial operation is C6.2's judgement."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "change", for_update=True)
        project_policies.require(policies.may_record_assessment(actor, project), SecurityError.ASSESSMENTS_LEAD_ONLY)
        errors: dict[str, FieldError] = {}
        day = _date(assessed_on, "assessed_on", errors)
        if day is None and "assessed_on" not in errors:
            errors["assessed_on"] = FieldError(CoreError.REQUIRED)
        elif day is not None and day > clock.today():
            errors["assessed_on"] = FieldError(CoreError.DATE_IN_FUTURE)
        assessor = (assessor or "").strip()
        summary = (summary or "").strip()
        if not assessor:
            errors["assessor"] = FieldError(CoreError.REQUIRED)
        if not summary:
            errors["summary"] = FieldError(CoreError.REQUIRED)
        doc = None
        if document not in (None, ""):
            doc = Document.objects.filter(pk=document, project=project).first() if _is_uuid(document) else None
            if doc is None:
                errors["document"] = FieldError(SecurityError.UNKNOWN_DOCUMENT)
            elif doc.category != "risk_assessment_report":
                errors["document"] = FieldError(SecurityError.WRONG_REPORT_CATEGORY)
        if errors:
            raise InvalidInput(SecurityError.ASSESSMENT_NOT_RECORDED, fields=errors)
        assert day is not None
        assessment = RiskAssessment.objects.create(
            project=project,
            assessed_on=day,
            assessor=assessor,
            summary=summary,
            residual_risks=(residual_risks or "").strip(),
            document=doc,
            created_by=actor,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.RISK_ASSESSMENT_RECORD,
            obj=assessment,
            project_id=str(project.pk),
            new={
                "assessed_on": day.isoformat(),
                "assessor": assessor,
                "summary": summary,
                "document": str(doc.pk) if doc else None,
            },
        )
    return assessment


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
