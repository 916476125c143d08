"""The domain's error type: one machine code, a human message, optional details.

Services raise these; the API turns them into the error body of api.md and the UI into messages.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class NotFound(DomainError):
    """Missing, or outside the user's scope: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RuleViolation(Conflict):
    """A gate blocked the action; details = {"violations": [{"rule","clause","message",...}]}."""

    code = "rule_violation"
