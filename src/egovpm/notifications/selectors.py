"""Reads of the notifications app: a user's messages, the unread count, e-mail choices, the people
a notice goes to, and 已办 (what the user did, from the audit trail)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.audit.models import AuditEvent
from egovpm.audit.objects import is_default_repr, object_type_label
from egovpm.core.errors import NotFound
from egovpm.notifications.choices import Kind
from egovpm.notifications.errors import NotificationError
from egovpm.notifications.models import Message, Preference
from egovpm.projects.models import Assignment, Participation, Project
from egovpm.projects.policies import restrict

DEPT_ROLES = (Role.DEPT_STAFF, Role.DEPT_LEADER)
# The audit actions that are housekeeping of the message centre, not work: left out of 已办.
NOT_WORK = ("notification.read", "notification.preference.set")


def messages_of(*, user: User) -> QuerySet[Message]:
    """The user's messages, newest first (index message_recipient_new)."""
    return Message.objects.filter(recipient_id=user.pk).select_related("sender").order_by("-created_at", "-id")


def message_of(*, user: User, message_id: Any) -> Message:
    """One of the user's own messages; anyone else's is 404 like a missing one."""
    try:
        pk = int(str(message_id))
    except ValueError:
        raise NotFound(NotificationError.MESSAGE_NOT_FOUND) from None
    message = Message.objects.filter(pk=pk, recipient_id=user.pk).first()
    if message is None:
        raise NotFound(NotificationError.MESSAGE_NOT_FOUND)
    return message


def unread_count(*, user: User) -> int:
    """The header's badge: one count on the partial index message_unread. Every page asks, so the
    statement is written once here rather than compiled by the ORM on each request (0.6 ms of CPU
    a page); it is the query `Message.objects.filter(recipient_id=…, read_at__isnull=True).count()`
    compiles to."""
    table = connection.ops.quote_name(Message._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT COUNT(*) FROM {table} WHERE "recipient_id" = %s AND "read_at" IS NULL',  # noqa: S608 (the table's name only)
            [user.pk],
        )
        return int(cursor.fetchone()[0])


def email_choices(*, user: User) -> dict[str, bool]:
    """Every kind with the user's e-mail switch (on unless they turned it off)."""
    off = set(Preference.objects.filter(user_id=user.pk, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in Kind.values}


def email_off(*, user_ids: Iterable[Any], kind: str) -> set[Any]:
    """Of `user_ids`, those who turned e-mail off for `kind` (one query)."""
    return set(
        Preference.objects.filter(user_id__in=list(user_ids), kind=kind, email=False).values_list("user_id", flat=True)
    )


def department_people(department_id: Any) -> list[User]:
    """The active staff and leaders of a department: whom a department's notice reaches."""
    if not department_id:
        return []
    return list(
        User.objects.filter(department_id=department_id, is_active=True, roles__role__in=DEPT_ROLES)
        .distinct()
        .order_by("username")
    )


def project_people(project: Project) -> QuerySet[User]:
    """Everyone working on a project whom NDRC may chase: its lead and participating departments'
    staff and leaders, and the users assigned to it."""
    departments = [
        project.lead_department_id,
        *Participation.objects.filter(project=project).values_list("department_id", flat=True),
    ]
    assigned = Assignment.objects.filter(project=project).values("user_id")
    dept = User.objects.filter(department_id__in=departments, roles__role__in=DEPT_ROLES)
    return (dept | User.objects.filter(pk__in=assigned)).filter(is_active=True).distinct()


def done_of(*, user: User) -> QuerySet[AuditEvent]:
    """已办: every write the user made (stage actions, opinions, acknowledgements, acceptances,
    decisions, chases …), newest first — the audit trail is the one record of them all (index
    audit_actor_seq)."""
    return AuditEvent.objects.filter(actor_id=user.pk).exclude(action__in=NOT_WORK).order_by("-seq")


def done_rows(events: list[AuditEvent], *, user: User) -> list[dict[str, Any]]:
    """A page of 已办 with the projects named — only those the user may still see (the summary
    scope, as the project page's link needs): a row of a project now outside it (a participation
    or assignment ended, the user moved department) keeps its action and date, with `hidden` instead
    of the name and the record, and no link. One query for the page's projects, whatever the rows."""
    ids = {e.project_id for e in events if e.project_id}
    visible = restrict(user, "summary", Project.objects.filter(pk__in=ids)) if ids else Project.objects.none()
    projects = {str(p.pk): p for p in visible} if ids else {}
    hidden = _("(a project you may no longer see)")
    return [
        {"event": e, "project": projects.get(e.project_id), "record": _record(e, projects.get(e.project_id))}
        if not e.project_id or e.project_id in projects
        else {"event": e, "project": None, "hidden": hidden, "record": ""}
        for e in events
    ]


def _record(event: AuditEvent, project: Project | None) -> str:
    """The record acted on, for people: its type's label and its own name — or, for a record
    without a name ("Model object (id)"), the project's (no query: the page's projects are read)."""
    label = str(object_type_label(event.object_type))
    name = event.object_repr
    if not name or is_default_repr(name):
        name = project.name if project is not None else ""
    return f"{label}：{name}" if name and label else (name or label)
