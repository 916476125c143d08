"""The refusals of the notifications app: codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class NotificationError(ErrorCode):
    MESSAGE_NOT_FOUND = "message_not_found"
    CHASE_NDRC_ONLY = "chase_ndrc_only"
    CHASE_NOBODY = "chase_nobody"
    CHASE_UNKNOWN_RECIPIENT = "chase_unknown_recipient"
    TEXT_TOO_LONG = "chase_text_too_long"
    UNKNOWN_KIND = "notification_unknown_kind"
    NOT_A_SWITCH = "notification_not_a_switch"


register(
    NotificationError,
    {
        NotificationError.MESSAGE_NOT_FOUND: _("No such message."),
        NotificationError.CHASE_NDRC_ONLY: _("Only an NDRC officer sends a chase (催办)."),
        NotificationError.CHASE_NOBODY: _("Nobody can receive it: the department has no active staff or leader."),
        NotificationError.CHASE_UNKNOWN_RECIPIENT: _(
            "Send it to “department” or to the login name of someone working on this project."
        ),
        NotificationError.TEXT_TOO_LONG: _("At most %(limit)s characters."),
        NotificationError.UNKNOWN_KIND: _("Unknown kind of message: %(value)s."),
        NotificationError.NOT_A_SWITCH: _("true or false."),
    },
    public=[NotificationError.CHASE_NDRC_ONLY],
)
