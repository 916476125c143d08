"""The message centre (站内消息) and each user's e-mail choices (docs/notifications.md).

- Message: one notice to one user — what (`kind`, `title`, `body`), where to act (`link`), when it
  was made and read. Made inside the transaction of the change it tells about; its e-mail leaves
  after the commit. `key` makes a scheduled notice (a report due in 7 days) idempotent per user.
- Preference: a user's e-mail switch for one kind; no row means e-mail on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.notifications.choices import Kind


class Message(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(max_length=500, blank=True)
    project_id = models.CharField(max_length=64, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="message_kind_valid"),
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="message_key_once_per_recipient"
            ),
        ]
        indexes = [
            # the message centre, newest first
            models.Index(fields=["recipient", "-created_at", "-id"], name="message_recipient_new"),
            # the header's unread count on every page
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="message_unread"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="preference_kind_valid"),
        ]
