"""Writes of the archives app: archive acceptance (clause 7) and the completion-acceptance
snapshot (a transition hook). Archiving a document is documents.services.document_archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from egovpm.accounts.models import User
from egovpm.archives import policies, selectors
from egovpm.archives.choices import AcceptanceResult
from egovpm.archives.errors import ArchiveError
from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import CoreError, FieldError, InvalidInput
from egovpm.core.validators import DATE_ERROR, parse_date
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import Action
from egovpm.projects.models import Project, StageEvent


def _parse_date(value: dt.date | str | None, field: str, errors: dict[str, FieldError]) -> dt.date | None:
    if value in (None, ""):
        errors[field] = FieldError(CoreError.REQUIRED)
        return None
    if isinstance(value, dt.datetime):
        errors[field] = FieldError(ArchiveError.DATE_NOT_INSTANT)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except ValueError:
        errors[field] = DATE_ERROR
        return None


def archive_acceptance_record(
    *,
    actor: User,
    project_id: Any,
    accepted_on: dt.date | str | None,
    organizer: str,
    result: str,
    opinion: str,
) -> ArchiveAcceptance:
    """档案验收 by an archivist assigned to the project (api.md POST /projects/{id}/archive-acceptances).
    Unassigned archivists do not see the project (404); anyone else who sees it gets 403; the date
    may not lie in the future (400). The completeness view is stored with it."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "archive_accept", for_update=True)
        project_policies.require(
            policies.may_record_acceptance(actor, project),
            ArchiveError.ACCEPTANCE_ARCHIVIST_ONLY,
        )
        errors: dict[str, FieldError] = {}
        day = _parse_date(accepted_on, "accepted_on", errors)
        if day is not None and day > clock.today():
            errors["accepted_on"] = FieldError(CoreError.DATE_IN_FUTURE)
        organizer = (organizer or "").strip()
        opinion = (opinion or "").strip()
        if not organizer:
            errors["organizer"] = FieldError(CoreError.REQUIRED)
        if not opinion:
            errors["opinion"] = FieldError(CoreError.REQUIRED)
        if result not in AcceptanceResult.values:
            errors["result"] = FieldError(ArchiveError.ONE_OF, {"choices": ", ".join(AcceptanceResult.values)})
        if errors:
            raise InvalidInput(ArchiveError.ACCEPTANCE_NOT_RECORDED, fields=errors)
        assert day is not None
        acceptance = ArchiveAcceptance.objects.create(
            project=project,
            accepted_on=day,
            organizer=organizer,
            result=result,
            opinion=opinion,
            completeness=selectors.archive_completeness(project=project),
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.ARCHIVE_ACCEPTANCE_RECORD,
            obj=acceptance,
            project_id=str(project.pk),
            new={
                "accepted_on": day.isoformat(),
                "organizer": organizer,
                "result": result,
                "opinion": opinion,
                "missing": acceptance.completeness.get("missing"),
            },
        )
    return acceptance


def completion_snapshot(project: Project, event: StageEvent, actor: User) -> None:
    """Transition hook (projects.services.register_transition_hook), inside the move's transaction:
    when a project passes completion acceptance, keep who, when, entrusted or not, and every rule's
    verdict at that moment with the pack's identity. A failure here rolls the move back."""
    if event.action != Action.PASS_COMPLETION_ACCEPTANCE:
        return
    from egovpm.projects.selectors import project_compliance

    as_of = clock.today()
    report = project_compliance(project=project, as_of=as_of, language="zh")
    results = [
        {
            "rule": r.rule,
            "clause": r.clause,
            "severity": r.severity,
            "status": r.status,
            "message_zh": r.message_zh,
            "message_en": r.message_en,
        }
        for r in report["results"]
    ]
    CompletionAcceptance.objects.create(
        project=project,
        event=event,
        accepted_by=actor,
        accepted_at=event.at,
        effective_date=event.effective_date,
        entrusted=event.entrusted,
        archive_acceptance=selectors.latest_acceptance(project=project),
        as_of=as_of,
        regime=report["regime"],
        pack_version=report["pack_version"],
        pack_sha256=report["pack_sha256"],
        results=results,
    )
    # No audit row of its own: the snapshot is part of the completion-acceptance move, whose audit
    # row (project.transition.pass_completion_acceptance, same transaction) names the pack version.
