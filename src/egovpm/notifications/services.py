"""Writes of the notifications app: notify() — the one seam every notice goes through (the audit
listener of listeners.py, the scheduled reminders of cli.py, the supervision app's rectification
items) —, reading messages, e-mail choices and NDRC's chase (催办)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import CoreError, FieldError, InvalidInput
from egovpm.notifications import policies, selectors
from egovpm.notifications.choices import CHASE_DEPARTMENT, Kind
from egovpm.notifications.errors import NotificationError
from egovpm.notifications.models import Message, Preference
from egovpm.projects import policies as project_policies

log = logging.getLogger(__name__)

CHASE_TEXT_LIMIT = 500


def notify(
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    *,
    link: str = "",
    project_id: Any = "",
    sender: User | None = None,
    key: str = "",
    email: bool = True,
) -> list[Message]:
    """Put a message in each recipient's message centre — inside the caller's transaction, so it
    exists exactly when the change it tells about does — and, after the commit, e-mail those who
    have an address and did not turn e-mail off for `kind`. With `key`, a recipient who already
    has a message with that key gets no second one (scheduled reminders run daily)."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}: list it in notifications/choices.py")
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return []
    if key:
        seen = set(
            Message.objects.filter(recipient_id__in=list(people), key=key).values_list("recipient_id", flat=True)
        )
        people = {pk: u for pk, u in people.items() if pk not in seen}
    off = selectors.email_off(user_ids=people, kind=kind) if email else set(people)
    now = clock.now()
    messages = [
        Message(
            recipient=u,
            kind=kind,
            title=title[:300],
            body=body,
            link=link[:500],
            project_id=str(project_id or ""),
            sender=sender,
            key=key,
            created_at=now,
            emailed=bool(email and u.email and u.pk not in off),
        )
        for u in people.values()
    ]
    Message.objects.bulk_create(messages)
    outgoing = [m for m in messages if m.emailed]
    if outgoing:
        transaction.on_commit(lambda: _send(outgoing))
    return messages


def _send(messages: list[Message]) -> None:
    """E-mail the messages through the configured backend (EGOVPM_EMAIL_BACKEND): after the commit,
    so a rolled-back change mails nobody; a failing mail server loses the e-mail, not the message."""
    site = getattr(settings, "EGOVPM_SITE_URL", "").rstrip("/")
    mails = []
    for m in messages:
        body = m.body + (f"\n\n{site}{m.link}" if m.link else "")
        mails.append(
            mail.EmailMessage(
                f"【电子政务项目管理平台】{m.title}", body, settings.DEFAULT_FROM_EMAIL, [m.recipient.email]
            )
        )
    try:
        mail.get_connection().send_messages(mails)
    except Exception:  # the in-app message stays; the mail server's failure is logged, not raised
        log.exception("notifications: %s e-mail(s) not sent", len(mails))


def platform_language() -> AbstractContextManager[None]:
    """Write a notice's words inside this: messages are stored in the platform's language
    (Chinese), for the recipient reads them later, in their own session or by e-mail — not in the
    language of the actor whose change caused them."""
    return translation.override(settings.LANGUAGE_CODE)


def message_read(*, actor: User, message_id: Any) -> Message:
    """Mark one of the actor's own messages read (another's is 404). Reading twice changes nothing."""
    with transaction.atomic():
        message = selectors.message_of(user=actor, message_id=message_id)
        if message.read_at is None:
            message.read_at = clock.now()
            message.save(update_fields=["read_at"])
            audit_record(actor=actor, action=AuditAction.NOTIFICATION_READ, obj=message, new={"messages": [message.pk]})
    return message


def messages_read_all(*, actor: User) -> int:
    """Mark every unread message of the actor read; how many there were."""
    with transaction.atomic():
        unread = list(
            Message.objects.select_for_update()
            .filter(recipient_id=actor.pk, read_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if unread:
            Message.objects.filter(pk__in=unread).update(read_at=clock.now())
            audit_record(
                actor=actor,
                action=AuditAction.NOTIFICATION_READ,
                object_type="notifications.message",
                object_id=actor.username,
                new={"messages": unread},
            )
    return len(unread)


def preferences_set(*, actor: User, email: Mapping[str, Any]) -> dict[str, bool]:
    """Set the actor's e-mail switch per kind ({"report_due": false, …}); kinds not named keep
    theirs. An unknown kind or a value that is not true/false is a 400 and nothing changes."""
    errors: dict[str, FieldError] = {}
    for kind, value in email.items():
        if kind not in Kind.values:
            errors[str(kind)] = FieldError(NotificationError.UNKNOWN_KIND, {"value": kind})
        elif not isinstance(value, bool):
            errors[str(kind)] = FieldError(NotificationError.NOT_A_SWITCH)
    if errors:
        raise InvalidInput(CoreError.INVALID, fields=errors)
    with transaction.atomic():
        old = selectors.email_choices(user=actor)
        for kind, value in email.items():
            Preference.objects.update_or_create(user=actor, kind=kind, defaults={"email": value})
        new = selectors.email_choices(user=actor)
        if new != old:
            audit_record(
                actor=actor,
                action=AuditAction.NOTIFICATION_PREFERENCE_SET,
                object_type="notifications.preference",
                object_id=actor.username,
                old={k: v for k, v in old.items() if new[k] != v},
                new={k: v for k, v in new.items() if old[k] != v},
            )
    return new


def chase(*, actor: User, project_id: Any, to: str, text: str) -> list[Message]:
    """催办: NDRC presses whoever a waiting item waits for — the project's lead department
    (`to="department"`) or one person working on it (their login name). Scope 404, role 403, then
    the input (400); the recipients see it in their message centre (and by e-mail), and it is
    audited with the project."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "chase", for_update=True)
        project_policies.require(policies.may_chase(actor), NotificationError.CHASE_NDRC_ONLY)
        errors: dict[str, FieldError] = {}
        text = (text or "").strip()
        if not text:
            errors["text"] = FieldError(CoreError.REQUIRED)
        elif len(text) > CHASE_TEXT_LIMIT:
            errors["text"] = FieldError(NotificationError.TEXT_TOO_LONG, {"limit": CHASE_TEXT_LIMIT})
        to = (to or "").strip()
        recipients: list[User] = []
        if not to:
            errors["to"] = FieldError(CoreError.REQUIRED)
        elif to == CHASE_DEPARTMENT:
            recipients = selectors.department_people(project.lead_department_id)
            if not recipients:
                errors["to"] = FieldError(NotificationError.CHASE_NOBODY)
        else:
            person = selectors.project_people(project).filter(username=to).first()
            if person is None:
                errors["to"] = FieldError(NotificationError.CHASE_UNKNOWN_RECIPIENT)
            else:
                recipients = [person]
        if errors:
            raise InvalidInput(CoreError.INVALID, fields=errors)
        with platform_language():
            title = _("Chase from NDRC: %(project)s") % {"project": project.name}
        messages = notify(
            recipients,
            Kind.CHASE,
            title,
            text,
            link=reverse("web:project_detail", kwargs={"pk": project.pk}),
            project_id=project.pk,
            sender=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_CHASE,
            obj=project,
            project_id=str(project.pk),
            new={"to": to, "recipients": [u.username for u in recipients], "text": text},
        )
    return messages
