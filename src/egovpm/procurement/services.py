"""Writes of the procurement register (domain.md §11.1) and the delivery modes (§11.2).

Every write: one transaction, the project row locked, scope (404) → role (403) → state (409
`frozen`) → input (400 naming each field; nothing changes) → change → audit. Validation is one
function (`clean`) for the API, the forms and the XLSX import, so the three refuse the same."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.budgets.models import EstimateLine
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput, NotFound
from egovpm.core.money import parse_amount
from egovpm.core.validators import DATE_ERROR, parse_date, text_error
from egovpm.documents.choices import Category as DocumentCategory
from egovpm.documents.models import Document
from egovpm.procurement import credit_code, policies
from egovpm.procurement.choices import Category, DeliveryModeKind, Method
from egovpm.procurement.errors import ProcurementError
from egovpm.procurement.models import DeliveryMode, Procurement
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project

REQUIRED = (
    "category",
    "method",
    "subject",
    "amount",
    "supplier",
    "supplier_credit_code",
    "contract_no",
    "contract_date",
    "secure_controllable",
)
OPTIONAL = ("secure_controllable_basis", "evidence", "estimate_line", "non_tender_reason")
FIELDS = REQUIRED + OPTIONAL
SHORT_TEXT = {"subject": 300, "supplier": 200, "contract_no": 100, "estimate_line": 20}
LONG_TEXT = ("secure_controllable_basis", "non_tender_reason")
MAX_MODES = 20
MODE_TEXT = {"provider": 200, "scope": 2000, "contract_reference": 200}


@dataclass
class Checks:
    """What validation needs from the database, read once per write (or per import)."""

    today: dt.date
    line_codes: frozenset[str]
    evidence: dict[str, tuple[Any, str]] = field(default_factory=dict)  # id → (project id, category)


def checks_for(project: Project, evidence_ids: Iterable[Any] = ()) -> Checks:
    """The project's current estimate line codes and the named evidence documents (two queries)."""
    codes = frozenset(EstimateLine.objects.filter(estimate__project=project).values_list("code", flat=True))
    ids = []
    for raw in evidence_ids:
        try:
            ids.append(uuid.UUID(str(raw)))
        except ValueError:
            continue
    docs = (
        {
            str(pk): (pid, cat)
            for pk, pid, cat in Document.objects.filter(pk__in=ids).values_list("pk", "project_id", "category")
        }
        if ids
        else {}
    )
    return Checks(today=clock.today(), line_codes=codes, evidence=docs)


def _one_of(choices: Iterable[str]) -> FieldError:
    return FieldError(ProcurementError.ONE_OF, {"choices": ", ".join(choices)})


def _clean_field(name: str, value: Any, checks: Checks, project: Project) -> tuple[Any, FieldError | None]:
    """One field's value as stored, or its refusal."""
    if name in ("category", "method"):
        choices = Category.values if name == "category" else Method.values
        return (value, None) if isinstance(value, str) and value in choices else (None, _one_of(choices))
    if name == "amount":
        try:
            return parse_amount(value), None
        except ValueError:
            return None, FieldError(ProcurementError.AMOUNT)
    if name == "contract_date":
        try:
            day = parse_date(value)
        except ValueError:
            return None, DATE_ERROR
        return (day, None) if day <= checks.today else (None, FieldError(CoreError.DATE_IN_FUTURE))
    if name == "secure_controllable":
        return (value, None) if isinstance(value, bool) else (None, FieldError(ProcurementError.NOT_BOOLEAN))
    if name == "evidence":
        if value in (None, ""):
            return None, None
        doc = checks.evidence.get(str(value))
        if doc is None or doc[0] != project.pk:
            return None, FieldError(ProcurementError.EVIDENCE_OTHER_PROJECT)
        if doc[1] != DocumentCategory.SECURE_CONTROLLABLE_EVIDENCE:
            return None, FieldError(ProcurementError.EVIDENCE_CATEGORY)
        return uuid.UUID(str(value)), None
    # text
    if value is None:
        value = ""
    if not isinstance(value, str):
        return None, FieldError(ProcurementError.NOT_TEXT)
    value = value.strip()
    problem = text_error(value, multiline=name in LONG_TEXT)
    if problem is not None:
        return None, problem
    limit = SHORT_TEXT.get(name)
    if limit is not None and len(value) > limit:
        return None, FieldError(ProcurementError.TOO_LONG, {"limit": limit})
    if name == "supplier_credit_code" and value and not credit_code.is_valid(value):
        return None, FieldError(ProcurementError.CREDIT_CODE)
    if name == "estimate_line" and value and value not in checks.line_codes:
        return None, FieldError(ProcurementError.ESTIMATE_LINE, {"value": value})
    return value, None


def clean(
    data: Mapping[str, Any], *, project: Project, checks: Checks, base: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """The stored values of `data` (all fields when creating, the given ones over `base` when
    correcting) and every field's refusal."""
    errors: dict[str, FieldError] = {}
    values: dict[str, Any] = {}
    for key in data:
        if key not in FIELDS:
            errors[str(key)] = FieldError(CoreError.UNKNOWN_FIELD)
    for name in FIELDS:
        if name not in data:
            if base is None and name in REQUIRED:
                errors[name] = FieldError(CoreError.REQUIRED)
            continue
        value, error = _clean_field(name, data[name], checks, project)
        if error is None and name in REQUIRED and value in ("", None):
            error = FieldError(CoreError.REQUIRED)
        if error is not None:
            errors[name] = error
        else:
            values["evidence_id" if name == "evidence" else name] = value
    merged = {**(base or {}), **values}
    if (
        merged.get("secure_controllable") is True
        and not merged.get("secure_controllable_basis")
        and "secure_controllable_basis" not in errors
        and "secure_controllable" not in errors
    ):
        errors["secure_controllable_basis"] = FieldError(ProcurementError.BASIS_REQUIRED)
    return values, errors


# the model fields behind FIELDS (evidence is the document's id)
STORED = tuple("evidence_id" if name == "evidence" else name for name in FIELDS)


def as_record(p: Procurement) -> dict[str, Any]:
    """The stored values of a procurement, JSON-ready (audit old/new)."""
    out: dict[str, Any] = {}
    for name in STORED:
        value = getattr(p, name)
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, uuid.UUID):
            value = str(value)
        out["evidence" if name == "evidence_id" else name] = value
    return out


def _writable_project(actor: User, project_id: Any) -> Project:
    """The project locked, after scope (404), role (403) and state (409)."""
    project = project_policies.project_for(actor, project_id, "write", for_update=True)
    project_policies.require(policies.may_write(actor, project), ProcurementError.LEAD_ONLY)
    if policies.is_frozen(project):
        raise Conflict(ProcurementError.FROZEN)
    return project


def _procurement(actor: User, procurement_id: Any) -> tuple[Project, Procurement]:
    try:
        pk = uuid.UUID(str(procurement_id))
    except ValueError:
        raise NotFound(ProcurementError.NOT_FOUND) from None
    project_id = Procurement.objects.filter(pk=pk).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound(ProcurementError.NOT_FOUND)
    project = _writable_project(actor, project_id)
    return project, Procurement.objects.select_for_update().get(pk=pk)


def procurement_create(*, actor: User, project_id: Any, data: Mapping[str, Any]) -> Procurement:
    """Record one procurement (POST /projects/{id}/procurements)."""
    with transaction.atomic():
        project = _writable_project(actor, project_id)
        checks = checks_for(project, [data.get("evidence")] if data.get("evidence") else [])
        values, errors = clean(data, project=project, checks=checks)
        if errors:
            raise InvalidInput(ProcurementError.NOT_RECORDED, fields=errors)
        now = clock.now()
        p = Procurement.objects.create(
            project=project, created_at=now, created_by=actor, updated_at=now, updated_by=actor, **values
        )
        audit_record(
            actor=actor, action=AuditAction.PROCUREMENT_ADD, obj=p, project_id=str(project.pk), new=as_record(p)
        )
    return p


def procurement_update(*, actor: User, procurement_id: Any, data: Mapping[str, Any]) -> Procurement:
    """Correct a procurement (PATCH /procurements/{id}); the audit row holds the old and new values
    of the fields that changed."""
    with transaction.atomic():
        project, p = _procurement(actor, procurement_id)
        checks = checks_for(project, [data.get("evidence")] if data.get("evidence") else [])
        before = as_record(p)
        base = {name: getattr(p, name) for name in STORED}
        values, errors = clean(data, project=project, checks=checks, base=base)
        if errors:
            raise InvalidInput(ProcurementError.NOT_RECORDED, fields=errors)
        for name, value in values.items():
            setattr(p, name, value)
        after = as_record(p)
        changed = [k for k in after if after[k] != before[k]]
        if changed:
            p.updated_at = clock.now()
            p.updated_by = actor
            p.save()
            audit_record(
                actor=actor,
                action=AuditAction.PROCUREMENT_SET,
                obj=p,
                project_id=str(project.pk),
                old={k: before[k] for k in changed},
                new={k: after[k] for k in changed},
            )
    return p


def procurement_delete(*, actor: User, procurement_id: Any) -> None:
    """Remove a procurement (DELETE /procurements/{id}); the audit row keeps what it held."""
    with transaction.atomic():
        project, p = _procurement(actor, procurement_id)
        old = as_record(p)
        audit_record(actor=actor, action=AuditAction.PROCUREMENT_REMOVE, obj=p, project_id=str(project.pk), old=old)
        p.delete()


def procurement_import(
    *, actor: User, project_id: Any, rows: list[tuple[int, dict[str, Any], dict[str, FieldError]]]
) -> int:
    """Create every row or none (POST /projects/{id}/procurements/import). `rows` are the file's
    non-blank rows as (row number, values, errors of reading the cells); every row with an error
    is reported with every error it has."""
    with transaction.atomic():
        project = _writable_project(actor, project_id)
        checks = checks_for(project)
        bad: list[dict[str, Any]] = []
        good: list[dict[str, Any]] = []
        for number, data, read_errors in rows:
            values, errors = clean(data, project=project, checks=checks)
            errors = {**errors, **read_errors}
            if errors:
                bad.append({"row": number, "errors": dict(sorted(errors.items()))})
            else:
                good.append(values)
        if bad:
            raise InvalidInput(ProcurementError.NOT_IMPORTED, fields={"rows": bad})
        if not good:
            raise InvalidInput(ProcurementError.EMPTY, fields={"file": FieldError(ProcurementError.EMPTY)})
        now = clock.now()
        created = Procurement.objects.bulk_create(
            [
                Procurement(project=project, created_at=now, created_by=actor, updated_at=now, updated_by=actor, **v)
                for v in good
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.PROCUREMENT_IMPORT,
            object_type="procurement.procurement",
            object_id=str(project.pk),
            project_id=str(project.pk),
            new={"created": len(created), "ids": [str(p.pk) for p in created]},
        )
    return len(created)


def _clean_modes(modes: Any) -> tuple[list[dict[str, str]], dict[str, Any]]:
    if not isinstance(modes, list) or len(modes) > MAX_MODES:
        return [], {"modes": FieldError(ProcurementError.MODES_LIST)}
    out: list[dict[str, str]] = []
    errors: dict[str, Any] = {}
    for i, item in enumerate(modes):
        if not isinstance(item, dict):
            errors[f"modes[{i}]"] = FieldError(ProcurementError.MODE_ITEM)
            continue
        clean_item: dict[str, str] = {}
        for key in item:
            if key not in ("mode", *MODE_TEXT):
                errors[f"modes[{i}].{key}"] = FieldError(CoreError.UNKNOWN_FIELD)
        mode = item.get("mode")
        if mode not in DeliveryModeKind.values:
            errors[f"modes[{i}].mode"] = _one_of(DeliveryModeKind.values)
        else:
            clean_item["mode"] = mode
        for key, limit in MODE_TEXT.items():
            value = item.get(key, "")
            name = f"modes[{i}].{key}"
            if value is None and key == "contract_reference":
                value = ""
            if not isinstance(value, str):
                errors[name] = FieldError(CoreError.REQUIRED)
                continue
            value = value.strip()
            problem = text_error(value, multiline=key == "scope")
            if problem is not None:
                errors[name] = problem
            elif len(value) > limit:
                errors[name] = FieldError(ProcurementError.TOO_LONG, {"limit": limit})
            elif not value and key != "contract_reference":
                errors[name] = FieldError(CoreError.REQUIRED)
            else:
                clean_item[key] = value
        out.append(clean_item)
    return out, errors


def delivery_modes_set(*, actor: User, project_id: Any, modes: Any) -> list[DeliveryMode]:
    """Replace the project's delivery modes (PUT /projects/{id}/delivery-modes) and keep
    Project.service_outsourcing / data_hosting in step, in one transaction."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "write", for_update=True)
        project_policies.require(policies.may_write(actor, project), ProcurementError.LEAD_ONLY)
        items, errors = _clean_modes(modes)
        if errors:
            raise InvalidInput(ProcurementError.MODES_NOT_SET, fields=errors)
        old = list(
            DeliveryMode.objects.filter(project=project).values("mode", "provider", "scope", "contract_reference")
        )
        DeliveryMode.objects.filter(project=project).delete()
        rows = DeliveryMode.objects.bulk_create(
            [
                DeliveryMode(
                    project=project,
                    position=i,
                    contract_reference=item.get("contract_reference", ""),
                    **{k: v for k, v in item.items() if k != "contract_reference"},
                )
                for i, item in enumerate(items)
            ]
        )
        kinds = {item["mode"] for item in items}
        flags = {
            "service_outsourcing": DeliveryModeKind.SERVICE_OUTSOURCING in kinds,
            "data_hosting": DeliveryModeKind.DATA_HOSTING in kinds,
        }
        Project.objects.filter(pk=project.pk).update(**flags)
        for name, value in flags.items():
            setattr(project, name, value)
        audit_record(
            actor=actor,
            action=AuditAction.DELIVERY_MODES_SET,
            obj=project,
            project_id=str(project.pk),
            old={"modes": old},
            new={"modes": items},
        )
    return rows
