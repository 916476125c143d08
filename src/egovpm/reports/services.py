"""Writes of the reports app: submit, return for revision, acknowledge receipt, remind.

Every write follows one order (style.md habit 2): atomic → lock the project row → check → write →
audit. Checks answer in the order of domain.md §4: scope 404 → role 403 → the request's period →
legality 409 → the body's values 400."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils.translation import get_language

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, InvalidInput
from egovpm.projects import policies as project_policies
from egovpm.reports import policies, selectors
from egovpm.reports.choices import SECTION_KEYS, Section, SelfAssessment
from egovpm.reports.errors import ReportError
from egovpm.reports.models import (
    ReminderSent,
    ReportAcknowledgement,
    ReportDraft,
    ReportReturn,
    ReportSubmission,
)
from egovpm.rules import facts_reports as fr

SECTION_MAX_CHARS = 20_000


def _instant(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                ReportError.SUBMITTED_AT_INVALID, fields={"submitted_at": FieldError(ReportError.INVALID_INSTANT)}
            ) from None
    if value.tzinfo is None:
        raise InvalidInput(
            ReportError.SUBMITTED_AT_NO_OFFSET, fields={"submitted_at": FieldError(ReportError.NO_OFFSET)}
        )
    return value


def _sections(sections: Any, *, draft: bool = False) -> dict[str, str]:
    """The five sections, checked: an object with exactly the five keys, each text within the bound.
    A report to submit must say something and may hold no prompt of the pre-fill (【待填写：…】);
    a draft may be blank and keep its prompts."""
    if not isinstance(sections, Mapping):
        raise InvalidInput(ReportError.SECTIONS_NOT_OBJECT, fields={"sections": FieldError(ReportError.NOT_AN_OBJECT)})
    unknown = sorted(set(sections) - set(SECTION_KEYS))
    missing = [k for k in SECTION_KEYS if k not in sections]
    details: dict[str, FieldError] = {}
    details |= {f"sections.{k}": FieldError(ReportError.UNKNOWN_SECTION) for k in unknown}
    details |= {f"sections.{k}": FieldError(CoreError.REQUIRED) for k in missing}
    for k in SECTION_KEYS:
        v = sections.get(k)
        if k in sections and not isinstance(v, str):
            details[f"sections.{k}"] = FieldError(ReportError.MUST_BE_TEXT)
        elif isinstance(v, str) and len(v) > SECTION_MAX_CHARS:
            details[f"sections.{k}"] = FieldError(ReportError.SECTION_TOO_LONG, {"max": SECTION_MAX_CHARS})
    if details:
        raise InvalidInput(ReportError.SECTIONS_INVALID, {"sections": ", ".join(SECTION_KEYS)}, fields=details)
    clean = {k: str(sections[k]).strip() for k in SECTION_KEYS}
    if draft:
        return clean
    if not any(clean.values()):
        raise InvalidInput(ReportError.REPORT_EMPTY, fields={"sections": FieldError(ReportError.EVERY_SECTION_EMPTY)})
    if left := selectors.placeholder_sections(clean):
        raise InvalidInput(
            ReportError.PLACEHOLDERS_LEFT,
            {"sections": _list_separator().join(str(Section(k).label) for k in left)},
            fields={f"sections.{k}": FieldError(ReportError.PLACEHOLDER_LEFT) for k in left},
            data={"placeholder_sections": left},
        )
    return clean


def _list_separator() -> str:
    return ", " if (get_language() or "").startswith("en") else "、"


def _self_assessment(value: str) -> None:
    if value not in ("", *SelfAssessment.values):
        raise InvalidInput(
            fields={"self_assessment": FieldError(ReportError.SELF_ASSESSMENT_INVALID, {"value": value})}
        )


def _state(s: ReportSubmission) -> dict[str, Any]:
    return {
        "period": s.period,
        "version": s.version,
        "submitted_at": s.submitted_at.isoformat(),
        "on_paper": s.on_paper,
        "sections": s.sections,
        "budget_snapshot": s.budget_snapshot,
        "self_assessment": s.self_assessment,
    }


def report_submit(
    *,
    actor: User,
    project_id: Any,
    period: str,
    sections: Mapping[str, Any],
    submitted_at: dt.datetime | str | None = None,
    self_assessment: str = "",
) -> ReportSubmission:
    """Submit a project's report for a period to NDRC and MoF (clause 4). Only once the period has
    ended (409 period_not_ended); once submitted it is immutable (409 already_submitted) unless NDRC
    returned it, when it is resubmitted as a new version. `submitted_at` records a paper
    submission's real time (never in the future); lateness is judged by the first submission.
    `self_assessment` is the department's view of the project (choices.SelfAssessment, optional).
    A section still holding a prompt of the pre-fill (【待填写：…】) is refused (400
    `placeholders_left`, naming the sections); the saved draft, if any, is removed with the submission."""
    _self_assessment(self_assessment)
    with transaction.atomic():
        # The project row lock serialises two submissions of one report: the second sees the first.
        project = project_policies.project_for(actor, project_id, "report", for_update=True)
        project_policies.require(policies.may_submit(actor, project), ReportError.SUBMIT_LEAD_ONLY)
        p = selectors.period_parse(period, project.regime)
        now, today = clock.now(), clock.today()
        if not p.ended_by(today):
            raise Conflict(
                ReportError.PERIOD_NOT_ENDED,
                {"period": p.code, "end": p.end.isoformat()},
                data={"period": p.code, "period_end": p.end.isoformat()},
            )
        obligation = selectors.report_obligation(project=project, period=p.code, as_of=today)
        if obligation.status not in (fr.PENDING, fr.OVERDUE, fr.RETURNED):
            raise Conflict(
                ReportError.ALREADY_SUBMITTED,
                {"period": p.code},
                data={"period": p.code, "status": obligation.status},
            )
        instant = _instant(submitted_at)
        if instant is not None:
            if instant > now:
                raise InvalidInput(
                    ReportError.SUBMITTED_IN_FUTURE, fields={"submitted_at": FieldError(CoreError.DATE_IN_FUTURE)}
                )
            if not p.ended_by(fr.beijing_date(instant)):
                end = {"end": p.end.isoformat()}
                raise InvalidInput(
                    ReportError.SUBMITTED_BEFORE_PERIOD_END,
                    end,
                    fields={"submitted_at": FieldError(ReportError.BEFORE_PERIOD_END, end)},
                )
            returned = obligation.return_record
            if returned is not None and instant < returned.returned_at:
                raise InvalidInput(
                    ReportError.RESUBMISSION_BEFORE_RETURN,
                    fields={"submitted_at": FieldError(ReportError.BEFORE_RETURN)},
                )
        clean = _sections(sections)
        version = ReportSubmission.objects.filter(project=project, period=p.code).count() + 1
        submission = ReportSubmission(
            project=project,
            period=p.code,
            version=version,
            sections=clean,
            budget_snapshot=selectors.budget_table(selectors.budget_execution_of(project, p.end)),
            submitted_at=instant or now,
            recorded_at=now,
            on_paper=instant is not None,
            submitted_by=actor,
            department_name=project.lead_department.name,
            self_assessment=self_assessment,
        )
        submission.save()
        # the working copy has served: a later revision (after a return) starts from what was sent
        ReportDraft.objects.filter(project=project, period=p.code).delete()
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_RESUBMIT if version > 1 else AuditAction.REPORT_SUBMIT,
            obj=submission,
            project_id=str(project.pk),
            new=_state(submission),
        )
    return submission


def report_draft_save(
    *,
    actor: User,
    project_id: Any,
    period: str,
    sections: Mapping[str, Any],
    self_assessment: str = "",
) -> ReportDraft:
    """Save the lead department's working copy of a report not submitted yet — before the period has
    ended too (submission waits for the day after it). Blank sections and the pre-fill's prompts are
    kept as they are; a report already submitted (and not returned) has no draft (409)."""
    _self_assessment(self_assessment)
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "report", for_update=True)
        project_policies.require(policies.may_submit(actor, project), ReportError.DRAFT_LEAD_ONLY)
        p = selectors.period_parse(period, project.regime)
        obligation = selectors.report_obligation(project=project, period=p.code, as_of=clock.today())
        if obligation.status not in (fr.PENDING, fr.OVERDUE, fr.RETURNED):
            raise Conflict(
                ReportError.ALREADY_SUBMITTED,
                {"period": p.code},
                data={"period": p.code, "status": obligation.status},
            )
        clean = _sections(sections, draft=True)
        draft = ReportDraft.objects.filter(project=project, period=p.code).first()
        old = {"sections": draft.sections, "self_assessment": draft.self_assessment} if draft else None
        if draft is None:
            draft = ReportDraft(project=project, period=p.code)
        draft.sections = clean
        draft.self_assessment = self_assessment
        draft.saved_at = clock.now()
        draft.saved_by = actor
        draft.save()
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_DRAFT_SAVE,
            obj=draft,
            project_id=str(project.pk),
            old=old,
            new={"period": p.code, "sections": clean, "self_assessment": self_assessment},
        )
    return draft


def report_return(*, actor: User, project_id: Any, period: str, comment: str) -> ReportReturn:
    """NDRC returns the current submission for revision, with its reasons; the department can then
    resubmit. The submission itself stays as it was (history)."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "report", for_update=True)
        project_policies.require(policies.may_return(actor), ReportError.RETURN_NDRC_ONLY)
        obligation = selectors.report_obligation(project=project, period=period)
        current = obligation.current
        if current is None:
            raise Conflict(ReportError.NOT_SUBMITTED, {"period": obligation.code})
        if obligation.status == fr.RETURNED:
            raise Conflict(ReportError.ALREADY_RETURNED, {"period": obligation.code})
        if not (comment or "").strip():
            raise InvalidInput(
                ReportError.REVISION_COMMENT_REQUIRED, fields={"comment": FieldError(CoreError.REQUIRED)}
            )
        record = ReportReturn(submission=current, returned_at=clock.now(), returned_by=actor, comment=comment.strip())
        record.save()
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_RETURN,
            obj=current,
            project_id=str(project.pk),
            old={"period": current.period, "version": current.version, "status": obligation.status},
            new={
                "period": current.period,
                "version": current.version,
                "status": fr.RETURNED,
                "comment": record.comment,
            },
        )
    return record


def report_acknowledge(*, actor: User, project_id: Any, period: str) -> ReportAcknowledgement:
    """签收: NDRC or MoF confirms receipt of the current submission; each recipient once per version."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "report", for_update=True)
        recipient = policies.recipient_of(actor)
        project_policies.require(recipient is not None, ReportError.ACKNOWLEDGE_RECIPIENTS_ONLY)
        assert recipient is not None
        obligation = selectors.report_obligation(project=project, period=period)
        current = obligation.current
        if current is None or obligation.status == fr.RETURNED:
            raise Conflict(ReportError.NOTHING_TO_ACKNOWLEDGE, {"period": obligation.code})
        if ReportAcknowledgement.objects.filter(submission=current, recipient=recipient).exists():
            raise Conflict(ReportError.ALREADY_ACKNOWLEDGED)
        ack = ReportAcknowledgement(
            submission=current, recipient=recipient, acknowledged_at=clock.now(), acknowledged_by=actor
        )
        ack.save()
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_ACKNOWLEDGE,
            obj=current,
            project_id=str(project.pk),
            new={"period": current.period, "version": current.version, "recipient": recipient},
        )
    return ack


# ---------------------------------------------------------------- reminders


@dataclass(frozen=True)
class ReminderMail:
    department: str
    recipients: tuple[str, ...]  # usernames
    items: tuple[tuple[str, str, str], ...]  # (project code, period, threshold)
    subject: str
    body: str


def _recipients(department_id: int) -> list[User]:
    return list(
        User.objects.filter(
            department_id=department_id,
            is_active=True,
            roles__role__in=project_policies.DEPT_ROLES,
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def _mail_text(department: str, pairs: list[tuple[selectors.Obligation, str]], today: dt.date) -> tuple[str, str]:
    overdue = [o for o, t in pairs if t == "overdue"]
    upcoming = [o for o, t in pairs if t != "overdue"]
    subject = (
        "【电子政务项目管理平台】建设情况报告提醒："
        + (f"{len(overdue)}份逾期未报" + ("，" if upcoming else "") if overdue else "")
        + (f"{len(upcoming)}份即将到期" if upcoming else "")
    )
    lines = [
        f"{department}：",
        "",
        "根据发改高技〔2008〕2544号通知第四条，请按期向国家发展改革委和财政部报送项目建设情况。",
        "",
    ]

    def line(o: selectors.Obligation) -> str:
        return (
            f"  - {o.project.code} {o.project.name}：{o.period.label_zh}建设情况报告，"
            f"应于{selectors.cn_date(o.due)}前报送"
        )

    if overdue:
        lines.append("逾期未报：")
        lines += [f"{line(o)}，已逾期{-o.due_in(today)}天" for o in overdue]
        lines.append("")
    if upcoming:
        lines.append("即将到期：")
        lines += [f"{line(o)}（还有{o.due_in(today)}天）" for o in upcoming]
        lines.append("")
    lines.append("请登录电子政务项目管理平台，在项目的“建设情况报告”页填写并报送。")
    return subject, "\n".join(lines)


def reminders_send(*, days: int, dry_run: bool = False) -> list[ReminderMail]:
    """Mail each lead department's staff and leaders about its overdue reports and those due within
    `days` days — once per obligation and threshold (`overdue`, `upcoming_<days>`), so a second run
    sends nothing new. A department without a user with an e-mail address is skipped and not marked,
    so it is reminded once someone can receive it. With `dry_run` nothing is sent or recorded."""
    if days < 0:
        raise InvalidInput(ReportError.DAYS_NEGATIVE, fields={"days": FieldError(CoreError.NEGATIVE)})
    today = clock.today()
    sent = {(r.project_id, r.period, r.threshold) for r in ReminderSent.objects.all()}
    by_department: dict[int, list[tuple[selectors.Obligation, str]]] = {}
    for o, threshold in selectors.reminders_due(days=days, today=today):
        if (o.project.pk, o.code, threshold) not in sent:
            by_department.setdefault(o.project.lead_department_id, []).append((o, threshold))
    mails: list[ReminderMail] = []
    for department_id, pairs in sorted(by_department.items()):
        department = pairs[0][0].project.lead_department
        users = _recipients(department_id)
        if not users:
            continue
        subject, body = _mail_text(department.name, pairs, today)
        reminder = ReminderMail(
            department=department.code,
            recipients=tuple(u.username for u in users),
            items=tuple((o.project.code, o.code, t) for o, t in pairs),
            subject=subject,
            body=body,
        )
        if dry_run:
            mails.append(reminder)
            continue
        try:
            with transaction.atomic():
                # Mark first, inside the transaction: if sending fails the marks roll back and the
                # next run tries again; two concurrent runs collide on the unique constraint.
                for o, threshold in pairs:
                    row = ReminderSent.objects.create(
                        project=o.project,
                        period=o.code,
                        threshold=threshold,
                        sent_at=clock.now(),
                        recipients=list(reminder.recipients),
                    )
                    audit_record(
                        actor=None,
                        action=AuditAction.REPORT_REMIND,
                        obj=row,
                        project_id=str(o.project.pk),
                        new={"period": o.code, "threshold": threshold, "recipients": list(reminder.recipients)},
                    )
                messages = [mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in users]
                mail.get_connection().send_messages(messages)
        except IntegrityError:
            continue  # another run sent these meanwhile
        mails.append(reminder)
    return mails
