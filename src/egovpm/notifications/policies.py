"""Who may do what in the notifications app. A message is its recipient's alone (anyone else's is
404, selectors.message_of); a chase is NDRC's (after the project scope: 404, then 403)."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User


def may_chase(user: User) -> bool:
    """催办 is NDRC's: it presses whoever a waiting item waits for."""
    return bool(user.has_role(Role.NDRC_OFFICER))
