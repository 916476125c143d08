"""Writes of the inspections app (clause 8, domain.md §11.3): open an inspection, record findings,
issue the report (the findings freeze, one rectification item per finding that requires it), and
the rectification steps — the lead department's answer, the inspector's close or reopen. Each is
one transaction: scope (404), role (403), state (409, machine.py), input (400), change, audit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, ErrorCode, FieldError, InvalidInput
from egovpm.core.validators import date_field, text_error
from egovpm.documents.choices import Category
from egovpm.documents.models import Document
from egovpm.documents.services import document_upload
from egovpm.inspections import machine, policies, selectors
from egovpm.inspections.choices import Area, InspectionKind, ItemState, Severity
from egovpm.inspections.errors import InspectionError
from egovpm.inspections.models import (
    Finding,
    Inspection,
    InspectionInspector,
    InspectionSequence,
    RectificationEvent,
    RectificationEvidence,
    RectificationItem,
)
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import AssignmentTask
from egovpm.projects.models import Assignment
from egovpm.projects.services import assignment_add

# ------------------------------------------------------------------------------------ input checks


def _text(value: Any, field: str, errors: dict[str, FieldError], *, multiline: bool = True) -> str:
    if not isinstance(value, str) or not value.strip():
        errors[field] = FieldError(CoreError.REQUIRED)
        return ""
    problem = text_error(value, multiline=multiline)
    if problem is not None:
        errors[field] = problem
    return value.strip()


def _choice(value: Any, field: str, choices: list[str], errors: dict[str, FieldError]) -> str:
    if value not in choices:
        errors[field] = FieldError(InspectionError.ONE_OF, {"choices": ", ".join(choices)})
        return ""
    return str(value)


def _names(value: Any, field: str, errors: dict[str, FieldError]) -> list[str]:
    """A non-empty list of strings, duplicates dropped (order kept)."""
    if not isinstance(value, list | tuple) or not value or not all(isinstance(v, str) and v for v in value):
        errors[field] = FieldError(InspectionError.NONE_CHOSEN)
        return []
    return list(dict.fromkeys(value))


def _refuse(reason: ErrorCode, errors: dict[str, FieldError]) -> None:
    if errors:
        raise InvalidInput(reason, fields=errors)


def _tell_lead_department(project_id: Any, title: str, body: str) -> None:
    """A message to the lead department's people (the message centre, in this transaction)."""
    from django.apps import apps

    if not apps.is_installed("egovpm.notifications"):
        return
    from egovpm.notifications.choices import Kind
    from egovpm.notifications.selectors import department_people
    from egovpm.notifications.services import notify
    from egovpm.projects.models import Project

    project = Project.objects.only("lead_department_id").get(pk=project_id)
    link = reverse("web:project_inspections", kwargs={"pk": project_id})
    notify(
        department_people(project.lead_department_id), Kind.RECTIFICATION, title, body, link=link, project_id=project_id
    )


def _state_conflict(exc: machine.TransitionRefused) -> Conflict:
    if exc.move in (machine.ADD_FINDING, machine.ISSUE, machine.CLOSE_ALL):
        return Conflict(InspectionError.FINDINGS_FROZEN)
    labels = {str(k): v for k, v in ItemState.choices}
    return Conflict(InspectionError.ITEM_STATE, {"state": labels.get(exc.state, exc.state), "move": exc.move})


def _next_reference(year: int) -> str:
    seq, _ = InspectionSequence.objects.select_for_update().get_or_create(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"发改监督〔{year}〕{seq.last}号"


# ------------------------------------------------------------------------------------- inspection


def inspection_open(
    *,
    actor: User,
    project_id: Any,
    kind: Any,
    scope: Any,
    inspectors: Any,
    started_on: Any,
    co_organisers: Any = None,
) -> Inspection:
    """NDRC opens an inspection or audit on a project and assigns its inspectors to the project
    (task `inspector`, through the projects' assignment service when not assigned yet)."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "inspect", for_update=True)
        project_policies.require(policies.may_open(actor), InspectionError.NDRC_OPENS_ONLY)
        errors: dict[str, FieldError] = {}
        kind = _choice(kind, "kind", InspectionKind.values, errors)
        areas = _names(scope, "scope", errors)
        unknown_areas = [a for a in areas if a not in Area.values]
        if unknown_areas:
            errors["scope"] = FieldError(InspectionError.ONE_OF, {"choices": ", ".join(Area.values)})
        names = _names(inspectors, "inspectors", errors)
        users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        if names and len(users) < len(names):
            missing = [n for n in names if n not in users]
            errors["inspectors"] = FieldError(InspectionError.UNKNOWN_USERS, {"names": ", ".join(missing)})
        elif names:
            not_inspectors = [n for n in names if not users[n].has_role(Role.INSPECTOR)]
            if not_inspectors:
                errors["inspectors"] = FieldError(InspectionError.NOT_INSPECTORS, {"names": ", ".join(not_inspectors)})
        codes: list[str] = []
        if co_organisers not in (None, []):
            codes = _names(co_organisers, "co_organisers", errors)
            known = set(Department.objects.filter(code__in=codes).values_list("code", flat=True))
            if codes and len(known) < len(codes):
                missing = [c for c in codes if c not in known]
                errors["co_organisers"] = FieldError(InspectionError.UNKNOWN_DEPARTMENTS, {"codes": ", ".join(missing)})
        start = date_field(started_on, "started_on", errors)
        _refuse(InspectionError.NOT_OPENED, errors)
        assert start is not None
        now = clock.now()
        inspection = Inspection.objects.create(
            project=project,
            kind=kind,
            scope=[a for a in Area.values if a in areas],
            co_organisers=codes,
            reference=_next_reference(clock.today().year),
            started_on=start,
            opened_by=actor,
            opened_at=now,
        )
        InspectionInspector.objects.bulk_create(
            [InspectionInspector(inspection=inspection, user=users[n]) for n in names]
        )
        assigned = set(
            Assignment.objects.filter(
                project=project, task=AssignmentTask.INSPECTOR, user__username__in=names
            ).values_list("user__username", flat=True)
        )
        for name in names:
            if name not in assigned:
                assignment_add(actor=actor, project_id=project.pk, username=name, task=AssignmentTask.INSPECTOR)
        audit_record(
            actor=actor,
            action=AuditAction.INSPECTION_OPEN,
            obj=inspection,
            project_id=str(project.pk),
            new={
                "kind": kind,
                "scope": inspection.scope,
                "inspectors": names,
                "co_organisers": codes,
                "started_on": start.isoformat(),
                "reference": inspection.reference,
            },
        )
    return inspection


def _own_inspection(actor: User, inspection_id: Any, move: str) -> Inspection:
    """The inspection, locked: 404 outside the scope, 403 unless one of its own inspectors, 409
    unless `move` is allowed in its state."""
    inspection = selectors.inspection_for(actor, inspection_id, "inspect", for_update=True)
    project_policies.require(policies.is_own_inspector(actor, inspection), InspectionError.OWN_INSPECTORS_ONLY)
    try:
        machine.inspection_next(inspection.state, move)
    except machine.TransitionRefused as exc:
        raise _state_conflict(exc) from None
    return inspection


def finding_add(
    *,
    actor: User,
    inspection_id: Any,
    area: Any,
    description: Any,
    severity: Any,
    rectification_required: Any,
    due_date: Any = None,
) -> Finding:
    """One of the inspection's own inspectors records a finding while the inspection is in progress."""
    with transaction.atomic():
        inspection = _own_inspection(actor, inspection_id, machine.ADD_FINDING)
        errors: dict[str, FieldError] = {}
        if area not in inspection.scope:
            errors["area"] = FieldError(InspectionError.AREA_NOT_IN_SCOPE, {"choices": ", ".join(inspection.scope)})
        text = _text(description, "description", errors)
        severity = _choice(severity, "severity", Severity.values, errors)
        if not isinstance(rectification_required, bool):
            errors["rectification_required"] = FieldError(InspectionError.NOT_A_BOOLEAN)
        due = date_field(due_date, "due_date", errors, required=rectification_required is True)
        if due is not None and due < inspection.started_on:
            errors["due_date"] = FieldError(InspectionError.BEFORE_START, {"date": inspection.started_on.isoformat()})
        _refuse(InspectionError.FINDING_NOT_RECORDED, errors)
        seq = inspection.findings.count() + 1
        finding = Finding.objects.create(
            inspection=inspection,
            seq=seq,
            area=str(area),
            description=text,
            severity=severity,
            rectification_required=bool(rectification_required),
            due_date=due if rectification_required else None,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.FINDING_ADD,
            obj=finding,
            project_id=str(inspection.project_id),
            new={
                "inspection": inspection.reference,
                "seq": seq,
                "area": finding.area,
                "severity": severity,
                "rectification_required": finding.rectification_required,
                "due_date": finding.due_date.isoformat() if finding.due_date else None,
            },
        )
    return finding


def inspection_issue(*, actor: User, inspection_id: Any, ended_on: Any) -> Inspection:
    """The inspector issues the report: the findings freeze and each finding that requires
    rectification gets its item. Without any such finding the inspection closes at once."""
    with transaction.atomic():
        inspection = _own_inspection(actor, inspection_id, machine.ISSUE)
        errors: dict[str, FieldError] = {}
        end = date_field(ended_on, "ended_on", errors)
        if end is not None and end < inspection.started_on:
            errors["ended_on"] = FieldError(InspectionError.BEFORE_START, {"date": inspection.started_on.isoformat()})
        elif end is not None and end > clock.today():
            errors["ended_on"] = FieldError(CoreError.DATE_IN_FUTURE)
        _refuse(InspectionError.NOT_ISSUED, errors)
        assert end is not None
        findings = [f for f in inspection.findings.order_by("seq") if f.rectification_required]
        issued_on = clock.today()
        items = RectificationItem.objects.bulk_create(
            [
                RectificationItem(
                    finding=f,
                    project_id=inspection.project_id,
                    issued_on=issued_on,
                    initial_due_date=f.due_date,
                    due_date=f.due_date,
                    state=ItemState.OPEN,
                )
                for f in findings
                if f.due_date is not None
            ]
        )
        now = clock.now()
        inspection.state = machine.inspection_after_issue(len(items))
        inspection.ended_on = end
        inspection.issued_by = actor
        inspection.issued_at = now
        if inspection.state == machine.CLOSED:
            inspection.closed_at = now
        inspection.save(update_fields=["state", "ended_on", "issued_by", "issued_at", "closed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.INSPECTION_ISSUE,
            obj=inspection,
            project_id=str(inspection.project_id),
            old={"state": machine.IN_PROGRESS},
            new={
                "state": inspection.state,
                "ended_on": end.isoformat(),
                "reference": inspection.reference,
                "items": [{"finding": i.finding.seq, "due_date": i.due_date.isoformat()} for i in items],
            },
        )
        if items:
            due = min(i.due_date for i in items)
            _tell_lead_department(
                inspection.project_id,
                _("Rectification notice %(reference)s: %(n)s items to rectify")
                % {"reference": inspection.reference, "n": len(items)},
                _("The first is due on %(due)s. Answer each item with what was done and its evidence.")
                % {"due": due.isoformat()},
            )
    return inspection


# ----------------------------------------------------------------------------------- rectification


def _last_event(item: RectificationItem) -> RectificationEvent | None:
    return item.events.order_by("-seq").first()


def _append(
    item: RectificationItem, actor: User, kind: str, text: str, day: dt.date, new_due: dt.date | None = None
) -> RectificationEvent:
    last = _last_event(item)
    return RectificationEvent.objects.create(
        item=item,
        seq=(last.seq + 1) if last else 1,
        kind=kind,
        text=text,
        effective_date=day,
        new_due_date=new_due,
        actor=actor,
        at=clock.now(),
    )


def _move(item: RectificationItem, kind: str) -> str:
    try:
        return machine.item_next(item.state, kind)
    except machine.TransitionRefused as exc:
        raise _state_conflict(exc) from None


def _earliest_step(item: RectificationItem) -> dt.date:
    """No step is dated before the report was issued, nor before the item's last step."""
    inspection = item.finding.inspection
    days = [inspection.ended_on or inspection.started_on]
    last = _last_event(item)
    if last is not None:
        days.append(last.effective_date)
    return max(days)


def rectification_answer(
    *,
    actor: User,
    item_id: Any,
    text: Any,
    documents: Any = None,
    answered_on: Any = None,
    upload: UploadedFile | None = None,
    max_bytes: int = 0,
) -> RectificationItem:
    """The lead department answers an open item with a text and evidence documents of the project;
    the web form may upload one more evidence file with it (same transaction: a refused answer
    keeps no document row)."""
    with transaction.atomic():
        item = selectors.item_for(actor, item_id, "rectify", for_update=True)
        project_policies.require(policies.may_answer(actor, item.project), InspectionError.LEAD_ANSWERS_ONLY)
        new_state = _move(item, machine.ANSWER)
        errors: dict[str, FieldError] = {}
        answer = _text(text, "text", errors)
        day = date_field(answered_on, "answered_on", errors, required=False)
        if day is None and "answered_on" not in errors:
            day = clock.today()
        if day is not None and day > clock.today():
            errors["answered_on"] = FieldError(CoreError.DATE_IN_FUTURE)
        elif day is not None and day < _earliest_step(item):
            errors["answered_on"] = FieldError(
                InspectionError.BEFORE_LAST_STEP, {"date": _earliest_step(item).isoformat()}
            )
        docs = _documents(documents, item, errors)
        _refuse(InspectionError.NOT_ANSWERED, errors)
        assert day is not None
        if upload is not None:
            docs.append(
                document_upload(
                    actor=actor,
                    project_id=item.project_id,
                    file=upload,
                    stage=item.project.stage,
                    category=Category.RECTIFICATION_EVIDENCE,
                    title=f"整改证明材料（{item.finding.inspection.reference}第{item.finding.seq}项）",
                    max_bytes=max_bytes,
                )
            )
        event = _append(item, actor, machine.ANSWER, answer, day)
        RectificationEvidence.objects.bulk_create([RectificationEvidence(event=event, document=d) for d in docs])
        old = item.state
        item.state = new_state
        item.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action=AuditAction.RECTIFICATION_ANSWER,
            obj=item,
            project_id=str(item.project_id),
            old={"state": old},
            new={
                "state": new_state,
                "answered_on": day.isoformat(),
                "documents": [str(d.pk) for d in docs],
                "inspection": item.finding.inspection.reference,
                "finding": item.finding.seq,
            },
        )
    return item


def _documents(value: Any, item: RectificationItem, errors: dict[str, FieldError]) -> list[Document]:
    if value in (None, []):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors["documents"] = FieldError(InspectionError.DOCUMENTS_NOT_OF_PROJECT, {"ids": ""})
        return []
    ids = list(dict.fromkeys(value))
    found: dict[str, Document] = {}
    valid = []
    for v in ids:
        try:
            valid.append(str(uuid.UUID(v)))
        except ValueError:
            continue
    for d in Document.objects.filter(pk__in=valid, project_id=item.project_id):
        found[str(d.pk)] = d
    missing = [v for v in ids if v not in found]
    if missing:
        errors["documents"] = FieldError(InspectionError.DOCUMENTS_NOT_OF_PROJECT, {"ids": ", ".join(missing)})
        return []
    return [found[v] for v in ids]


def _inspector_item(actor: User, item_id: Any) -> RectificationItem:
    item = selectors.item_for(actor, item_id, "inspect", for_update=True)
    project_policies.require(
        policies.is_own_inspector(actor, item.finding.inspection), InspectionError.OWN_INSPECTORS_ONLY
    )
    return item


def rectification_close(*, actor: User, item_id: Any, comment: Any) -> RectificationItem:
    """An inspector of the item's inspection accepts the answer; the inspection closes with its last item."""
    with transaction.atomic():
        item = _inspector_item(actor, item_id)
        new_state = _move(item, machine.CLOSE)
        errors: dict[str, FieldError] = {}
        text = _text(comment, "comment", errors)
        _refuse(InspectionError.NOT_CHANGED, errors)
        _append(item, actor, machine.CLOSE, text, max(clock.today(), _earliest_step(item)))
        item.state = new_state
        item.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action=AuditAction.RECTIFICATION_CLOSE,
            obj=item,
            project_id=str(item.project_id),
            old={"state": machine.SUBMITTED},
            new={"state": new_state, "comment": text},
        )
        _close_inspection_when_done(actor, item.finding.inspection)
    return item


def _close_inspection_when_done(actor: User, inspection: Inspection) -> None:
    states = RectificationItem.objects.filter(finding__inspection=inspection).values_list("state", flat=True)
    after = machine.inspection_after_items(inspection.state, states)
    if after == inspection.state:
        return
    old = inspection.state
    inspection.state = after
    inspection.closed_at = clock.now()
    inspection.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.INSPECTION_CLOSE,
        obj=inspection,
        project_id=str(inspection.project_id),
        old={"state": old},
        new={"state": after, "reference": inspection.reference},
    )


def rectification_reopen(*, actor: User, item_id: Any, comment: Any, due_date: Any = None) -> RectificationItem:
    """An inspector of the item's inspection rejects the answer: the item is open again, with a new
    due date when one is given (not in the past)."""
    with transaction.atomic():
        item = _inspector_item(actor, item_id)
        new_state = _move(item, machine.REOPEN)
        errors: dict[str, FieldError] = {}
        text = _text(comment, "comment", errors)
        due = date_field(due_date, "due_date", errors, required=False)
        if due is not None and due < clock.today():
            errors["due_date"] = FieldError(InspectionError.DATE_IN_PAST)
        _refuse(InspectionError.NOT_CHANGED, errors)
        old = {"state": item.state, "due_date": item.due_date.isoformat()}
        _append(item, actor, machine.REOPEN, text, max(clock.today(), _earliest_step(item)), due)
        item.state = new_state
        if due is not None:
            item.due_date = due
        item.save(update_fields=["state", "due_date"])
        audit_record(
            actor=actor,
            action=AuditAction.RECTIFICATION_REOPEN,
            obj=item,
            project_id=str(item.project_id),
            old=old,
            new={"state": new_state, "due_date": item.due_date.isoformat(), "comment": text},
        )
        _tell_lead_department(
            item.project_id,
            _("Rectification item %(reference)s no. %(seq)s was reopened")
            % {"reference": item.finding.inspection.reference, "seq": item.finding.seq},
            _("%(comment)s — rectify it by %(due)s.") % {"comment": text, "due": item.due_date.isoformat()},
        )
    return item
