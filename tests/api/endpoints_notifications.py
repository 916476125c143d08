"""Permission expectations of the notifications app's endpoints (the message centre, e-mail
choices, NDRC's chase) for the permission matrix. A message is its recipient's alone: anyone
else's is 404; the chase is NDRC's after the project scope (404), then 403."""

from __future__ import annotations

from .endpoints import Call, Ctx, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
# every business user's own; the administrators have no message centre (三员分立): 403
ANY_USER = "401  200 200 200 200 200  200 200  200 200 200 200 200 200  403 403 403"
OWN_MESSAGE = "401  200 404 404 404 404  404 404  404 404 404 404 404 404  403 403 403"
CHASE = "401  403 403 404 404 403  201 403  403 404 403 404 403 404  403 403 403"
# fmt: on


def _message_of_staff_a(ctx: Ctx) -> Call:
    from egovpm.notifications.services import notify

    (message,) = notify([ctx.personas["staff_a"]], "chase", "催办", "请办理")
    return Call(_url("message-read", message_id=str(message.pk)))


ENDPOINTS = [
    Endpoint("messages", "get", lambda ctx: Call(_url("messages")), ANY_USER),
    Endpoint("messages-read-all", "post", lambda ctx: Call(_url("messages-read-all")), ANY_USER),
    Endpoint("message-read", "post", _message_of_staff_a, OWN_MESSAGE),
    Endpoint("notification-preferences", "get", lambda ctx: Call(_url("notification-preferences")), ANY_USER),
    Endpoint(
        "notification-preferences",
        "put",
        lambda ctx: Call(_url("notification-preferences"), {"email": {"report_due": False}}),
        ANY_USER,
    ),
    Endpoint(
        "project-chase",
        "post",
        lambda ctx: Call(_url("project-chase", project_id=ctx.pid), {"to": "department", "text": "请尽快办理"}),
        CHASE,
        project_scoped=True,
    ),
]
