"""Writes on projects: registry, lifecycle transitions, assignments, entrustment.

Every state change follows one order (style.md habit 2): atomic → lock → change → save → audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput, NotFound, RuleViolation
from egovpm.core.validators import DATE_ERROR, parse_date
from egovpm.projects import policies
from egovpm.projects.choices import TASK_ROLE, TRANSITIONS, Action, AssignmentTask
from egovpm.projects.codes import code_is_valid, code_issue
from egovpm.projects.errors import ProjectError
from egovpm.projects.facts import project_facts
from egovpm.projects.models import Assignment, Participation, Project, StageEvent
from egovpm.rules import engine
from egovpm.rules.facts import Context

EDITABLE_TEXT = (
    "name",
    "responsible_leader_name",
    "responsible_leader_title",
    "business_unit",
    "technical_unit",
    "construction_goals",
    "main_content",
)
EDITABLE_BOOL = ("joint_central_local",)
# Declared when the project is created; afterwards they follow the recorded delivery modes
# (procurement: PUT /projects/{id}/delivery-modes sets them). A PATCH may repeat the current value;
# a different one is a 400 naming the field (docs/procurement.md).
DERIVED_BOOL = ("service_outsourcing", "data_hosting")


def project_state(project: Project) -> dict[str, Any]:
    """What the audit trail records of a project."""
    return {
        "code": project.code,
        "name": project.name,
        "stage": project.stage,
        "lead_department": project.lead_department.code,
        "participating_departments": sorted(d.code for d in project.participating_departments.all()),
        **{f: getattr(project, f) for f in EDITABLE_TEXT if f != "name"},
        **{f: getattr(project, f) for f in (*EDITABLE_BOOL, *DERIVED_BOOL)},
        "completion_entrusted": project.completion_entrusted,
    }


def _departments(codes: Iterable[str], lead: Department) -> list[Department]:
    codes = list(dict.fromkeys(codes))
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(
            ProjectError.UNKNOWN_DEPARTMENTS,
            {"departments": ", ".join(unknown)},
            fields={"participating_departments": [FieldError(CoreError.UNKNOWN, {"value": c}) for c in unknown]},
        )
    if lead.code in found:
        raise InvalidInput(
            ProjectError.LEAD_ALSO_PARTICIPATES,
            fields={"participating_departments": FieldError(ProjectError.LEAD_IS_LISTED)},
        )
    return [found[c] for c in codes]


def project_create(
    *,
    actor: User,
    name: str,
    lead_department: str,
    participating_departments: Iterable[str] = (),
    code: str | None = None,
    project_type: str = "01",
    **fields: Any,
) -> Project:
    """Create a draft project led by the creator's own department (api.md POST /projects)."""
    policies.require(actor.has_role(*policies.DEPT_ROLES), ProjectError.DEPT_STAFF_ONLY)
    lead = Department.objects.filter(code=lead_department).first()
    if lead is None:
        raise InvalidInput(
            ProjectError.UNKNOWN_LEAD_DEPARTMENT,
            {"department": lead_department},
            fields={"lead_department": FieldError(CoreError.UNKNOWN, {"value": lead_department})},
        )
    if lead.pk != actor.department_id:
        policies.require(False, ProjectError.LEAD_NOT_OWN_DEPARTMENT)
    if not name or not name.strip():
        raise InvalidInput(ProjectError.NAME_REQUIRED, fields={"name": FieldError(ProjectError.NAME_REQUIRED)})
    unknown_fields = set(fields) - set(EDITABLE_TEXT) - set(EDITABLE_BOOL) - set(DERIVED_BOOL)
    if unknown_fields:
        raise InvalidInput(
            ProjectError.UNKNOWN_FIELDS,
            {"fields": ", ".join(sorted(unknown_fields))},
            fields={f: FieldError(CoreError.UNKNOWN_FIELD) for f in sorted(unknown_fields)},
        )
    participants = _departments(participating_departments, lead)
    if code:
        if not code_is_valid(code):
            raise InvalidInput(ProjectError.CODE_FORMAT, fields={"code": FieldError(ProjectError.CODE_FORMAT)})
        if Project.objects.filter(code=code).exists():
            raise Conflict(ProjectError.DUPLICATE_CODE, {"code": code})
    now = clock.now()
    with transaction.atomic():
        project = Project(
            code=code or code_issue(year=clock.today().year, department=lead, project_type=project_type),
            name=name.strip(),
            lead_department=lead,
            created_at=now,
            updated_at=now,
            created_by=actor,
            **fields,
        )
        project.save()
        Participation.objects.bulk_create(Participation(project=project, department=d) for d in participants)
        audit_record(
            actor=actor,
            action=AuditAction.PROJECT_CREATE,
            obj=project,
            project_id=str(project.pk),
            new=project_state(project),
        )
    return project


def project_update(
    *, actor: User, project_id: Any, changes: dict[str, Any], expected_version: int | None = None
) -> Project:
    """Edit registry fields. The stage, code and lead department are not editable here."""
    forbidden = {"stage", "code", "lead_department", "id", "regime"} & changes.keys()
    if forbidden:
        raise InvalidInput(
            ProjectError.STAGE_READ_ONLY if "stage" in forbidden else ProjectError.READ_ONLY_FIELDS,
            {"fields": ", ".join(sorted(forbidden))},
            fields={f: FieldError(CoreError.READ_ONLY) for f in sorted(forbidden)},
        )
    unknown = set(changes) - set(EDITABLE_TEXT) - set(EDITABLE_BOOL) - set(DERIVED_BOOL) - {"participating_departments"}
    if unknown:
        raise InvalidInput(
            ProjectError.UNKNOWN_FIELDS,
            {"fields": ", ".join(sorted(unknown))},
            fields={f: FieldError(CoreError.UNKNOWN_FIELD) for f in sorted(unknown)},
        )
    with transaction.atomic():
        project = policies.project_for(actor, project_id, "change", for_update=True)
        policies.require(policies.may_edit(actor, project), ProjectError.LEAD_EDITS_ONLY)
        if expected_version is not None and expected_version != project.version:
            raise Conflict(ProjectError.STALE_VERSION)
        derived = [f for f in DERIVED_BOOL if f in changes and bool(changes[f]) != getattr(project, f)]
        if derived:
            raise InvalidInput(
                ProjectError.DELIVERY_MODES_DERIVED,
                fields={f: FieldError(ProjectError.DELIVERY_MODES_DERIVED) for f in derived},
            )
        old = project_state(project)
        fields = ["updated_at", "version"]
        for f in EDITABLE_TEXT:
            if f in changes:
                value = str(changes[f] or "").strip()
                if f == "name" and not value:
                    raise InvalidInput(
                        ProjectError.NAME_REQUIRED, fields={"name": FieldError(ProjectError.NAME_REQUIRED)}
                    )
                setattr(project, f, value)
                fields.append(f)
        for f in EDITABLE_BOOL:
            if f in changes:
                setattr(project, f, bool(changes[f]))
                fields.append(f)
        if "participating_departments" in changes:
            participants = _departments(changes["participating_departments"] or [], project.lead_department)
            Participation.objects.filter(project=project).exclude(department__in=participants).delete()
            existing = set(Participation.objects.filter(project=project).values_list("department_id", flat=True))
            Participation.objects.bulk_create(
                Participation(project=project, department=d) for d in participants if d.pk not in existing
            )
        project.updated_at = clock.now()
        project.version += 1
        project.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.PROJECT_UPDATE,
            obj=project,
            project_id=str(project.pk),
            old=old,
            new=project_state(project),
        )
    return project


# Called inside the transition's transaction, after the stage event is written and before the audit
# row: lets a domain app keep a record of its own (e.g. the compliance snapshot of a completion
# acceptance). A hook that raises rolls the whole move back.
TransitionHook = Callable[[Project, StageEvent, User], None]
_transition_hooks: list[TransitionHook] = []


def register_transition_hook(hook: TransitionHook) -> None:
    if hook not in _transition_hooks:
        _transition_hooks.append(hook)


@dataclass(frozen=True)
class ActionOption:
    """An action a user could take on a project now, and why not if blocked (for the UI)."""

    action: str
    allowed: bool
    reasons: tuple[dict[str, Any], ...] = ()


def _parse_effective_date(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return clock.today()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except ValueError:
        raise InvalidInput(ProjectError.EFFECTIVE_DATE_INVALID, fields={"effective_date": DATE_ERROR}) from None


def gate_results(project: Project, action: str, effective_date: dt.date, language: str = "zh") -> list[engine.Result]:
    pack = engine.load_pack(project.regime)
    facts = project_facts(project=project, as_of=clock.today())
    ctx = Context(as_of=clock.today(), action=action, effective_date=effective_date)
    return engine.evaluate_gates(pack, action, facts, ctx, language)


def project_transition(
    *,
    actor: User,
    project_id: Any,
    action: str,
    effective_date: dt.date | str | None = None,
    comment: str = "",
    approval_reference: str = "",
    language: str = "zh",
) -> Project:
    """Move a project one step, checking in the order of domain.md §4:
    scope 404 → role 403 → legality 409 → effective date 400 → gates 409. A refusal changes nothing."""
    if action not in TRANSITIONS:
        known = {"action": action, "known": ", ".join(TRANSITIONS)}
        raise InvalidInput(
            ProjectError.UNKNOWN_ACTION, known, fields={"action": FieldError(ProjectError.UNKNOWN_ACTION, known)}
        )
    transition = TRANSITIONS[action]
    with transaction.atomic():
        # The row lock serialises concurrent moves of one project: the second waits, then sees
        # the new stage and is refused as illegal rather than applied twice.
        project = policies.project_for(actor, project_id, "transition", for_update=True)
        policies.require(
            policies.may_act(actor, project, action),
            ProjectError.ACTION_NOT_ALLOWED,
            {"action": action},
        )
        if project.stage not in transition.sources:
            raise Conflict(
                ProjectError.ILLEGAL_TRANSITION,
                {"action": action, "stage": project.stage},
                data={"stage": project.stage, "action": action, "allowed_from": list(transition.sources)},
            )
        effective = _parse_effective_date(effective_date)
        if effective > clock.today():
            raise InvalidInput(
                ProjectError.EFFECTIVE_DATE_IN_FUTURE, fields={"effective_date": FieldError(CoreError.DATE_IN_FUTURE)}
            )
        previous = project.events.order_by("-seq").first()
        if previous is not None and effective < previous.effective_date:
            before = {"previous": previous.effective_date.isoformat()}
            raise InvalidInput(
                ProjectError.EFFECTIVE_DATE_BEFORE_PREVIOUS,
                {"date": before["previous"]},
                fields={"effective_date": FieldError(ProjectError.BEFORE_PREVIOUS_EVENT, before)},
            )
        if transition.requires_comment and not comment.strip():
            raise InvalidInput(
                ProjectError.COMMENT_REQUIRED,
                {"action": action},
                fields={"comment": FieldError(ProjectError.COMMENT_REQUIRED, {"action": action})},
            )
        results = gate_results(project, action, effective, language)
        blocking = [r for r in results if r.blocks]
        if blocking:
            raise RuleViolation(
                ProjectError.BLOCKED_BY_RULES,
                {"action": action, "count": len(blocking), "rules": ", ".join(r.rule for r in blocking)},
                data={"violations": [r.as_violation() for r in blocking]},
            )
        pack = engine.load_pack(project.regime)
        old_stage = project.stage
        event = StageEvent.objects.create(
            project=project,
            seq=(previous.seq + 1) if previous else 1,
            action=action,
            from_stage=old_stage,
            to_stage=transition.target_from(old_stage),
            actor=actor,
            at=clock.now(),
            effective_date=effective,
            comment=comment.strip(),
            approval_reference=approval_reference.strip() if transition.ndrc_approval else "",
            entrusted=action == Action.PASS_COMPLETION_ACCEPTANCE and not actor.has_role(Role.NDRC_OFFICER),
            pack_version=pack.version,
            pack_sha256=pack.sha256,
            gate_results=[{"rule": r.rule, "status": r.status, "message": r.message_zh} for r in results],
        )
        project.stage = event.to_stage
        project.updated_at = event.at
        project.version += 1
        project.save(update_fields=["stage", "updated_at", "version"])
        for hook in _transition_hooks:
            hook(project, event, actor)
        audit_record(
            actor=actor,
            action=AuditAction.transition(action),
            obj=project,
            project_id=str(project.pk),
            old={"stage": old_stage},
            new={
                "stage": project.stage,
                "effective_date": effective.isoformat(),
                "comment": event.comment,
                "approval_reference": event.approval_reference,
                "pack_version": pack.version,
            },
        )
    return project


def action_options(*, actor: User, project: Project, language: str = "zh") -> list[ActionOption]:
    """The actions this user's role allows from the project's stage, each with its gate verdicts,
    so the UI can show a button or say exactly why it is blocked."""
    options = []
    for action, t in TRANSITIONS.items():
        if project.stage not in t.sources or not policies.may_act(actor, project, action):
            continue
        blocking = [r for r in gate_results(project, action, clock.today(), language) if r.blocks]
        options.append(ActionOption(action, not blocking, tuple(r.as_violation() for r in blocking)))
    return options


def project_set_entrustment(*, actor: User, project_id: Any, entrusted: bool, reason: str) -> Project:
    """NDRC entrusts completion acceptance to the lead department (Order 55, small projects)."""
    with transaction.atomic():
        project = policies.project_for(actor, project_id, "entrust", for_update=True)
        policies.require(actor.has_role(Role.NDRC_OFFICER), ProjectError.NDRC_ENTRUSTS_ONLY)
        if entrusted and not reason.strip():
            required = FieldError(ProjectError.ENTRUST_REASON_REQUIRED)
            raise InvalidInput(ProjectError.ENTRUST_REASON_REQUIRED, fields={"reason": required})
        old = {
            "completion_entrusted": project.completion_entrusted,
            "reason": project.completion_entrusted_reason,
        }
        project.completion_entrusted = entrusted
        project.completion_entrusted_reason = reason.strip() if entrusted else ""
        project.updated_at = clock.now()
        project.version += 1
        project.save(update_fields=["completion_entrusted", "completion_entrusted_reason", "updated_at", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.PROJECT_ENTRUST_COMPLETION,
            obj=project,
            project_id=str(project.pk),
            old=old,
            new={"completion_entrusted": entrusted, "reason": project.completion_entrusted_reason},
        )
    return project


def assignment_add(*, actor: User, project_id: Any, username: str, task: str) -> Assignment:
    with transaction.atomic():
        project = policies.project_for(actor, project_id, "assign", for_update=True)
        policies.require(policies.may_assign(actor), ProjectError.NDRC_ASSIGNS_ONLY)
        if task not in AssignmentTask.values:
            known = {"task": task, "known": ", ".join(AssignmentTask.values)}
            raise InvalidInput(
                ProjectError.UNKNOWN_TASK, known, fields={"as": FieldError(ProjectError.UNKNOWN_TASK, known)}
            )
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InvalidInput(
                ProjectError.UNKNOWN_USER,
                {"username": username},
                fields={"user": FieldError(ProjectError.UNKNOWN_USER_FIELD, {"username": username})},
            )
        if not user.has_role(TASK_ROLE[cast(AssignmentTask, task)]):
            role = {"username": username, "role": TASK_ROLE[cast(AssignmentTask, task)], "task": task}
            raise InvalidInput(
                ProjectError.WRONG_ROLE, role, fields={"user": FieldError(ProjectError.WRONG_ROLE_FIELD, role)}
            )
        if Assignment.objects.filter(project=project, user=user, task=task).exists():
            raise Conflict(ProjectError.ALREADY_ASSIGNED, {"username": username, "task": task})
        assignment = Assignment.objects.create(
            project=project, user=user, task=task, assigned_by=actor, assigned_at=clock.now()
        )
        audit_record(
            actor=actor,
            action=AuditAction.ASSIGNMENT_ADD,
            obj=assignment,
            project_id=str(project.pk),
            new={"user": username, "task": task},
        )
    return assignment


def assignment_remove(*, actor: User, project_id: Any, username: str) -> int:
    with transaction.atomic():
        project = policies.project_for(actor, project_id, "assign", for_update=True)
        policies.require(policies.may_assign(actor), ProjectError.NDRC_ASSIGNS_ONLY)
        rows = list(Assignment.objects.filter(project=project, user__username=username))
        if not rows:
            raise NotFound(ProjectError.NOT_ASSIGNED, {"username": username})
        for a in rows:
            audit_record(
                actor=actor,
                action=AuditAction.ASSIGNMENT_REMOVE,
                obj=a,
                project_id=str(project.pk),
                old={"user": username, "task": a.task},
            )
            a.delete()
    return len(rows)


def stage_event_record_reference(*, actor: User, project_id: Any, seq: int, reference: str) -> StageEvent:
    """Record a missing 批复文号 on an NDRC approval already passed (it clears C1.1). Once recorded
    it is not changed: the approval document's number is a fact, and a typo goes through support
    with the audit trail showing who entered it."""
    reference = reference.strip()
    if not reference:
        raise InvalidInput(
            ProjectError.APPROVAL_REFERENCE_REQUIRED, fields={"approval_reference": FieldError(CoreError.REQUIRED)}
        )
    with transaction.atomic():
        project = policies.project_for(actor, project_id, "record_reference", for_update=True)
        policies.require(actor.has_role(Role.NDRC_OFFICER), ProjectError.NDRC_RECORDS_REFERENCES_ONLY)
        event = project.events.select_for_update().filter(seq=seq).first()
        if event is None:
            raise NotFound(ProjectError.STAGE_EVENT_NOT_FOUND)
        if not TRANSITIONS[event.action].ndrc_approval:
            raise InvalidInput(
                ProjectError.NOT_AN_APPROVAL,
                {"action": event.action},
                fields={"seq": FieldError(ProjectError.NOT_AN_APPROVAL, {"action": event.action})},
            )
        if event.approval_reference:
            raise Conflict(ProjectError.ALREADY_RECORDED)
        event.approval_reference = reference
        event.save(update_fields=["approval_reference"])
        audit_record(
            actor=actor,
            action=AuditAction.PROJECT_APPROVAL_REFERENCE,
            obj=project,
            project_id=str(project.pk),
            old={"seq": seq, "approval_reference": ""},
            new={"seq": seq, "approval_reference": reference},
        )
    return event
