"""Which channel the current write came through (api, ui, cli or system).

Set by core's RequestContextMiddleware for web requests and by the CLI; read by the audit trail
when it writes a row. It lives in core, the bottom layer, so that the middleware does not depend on
the audit app (docs/adr/0001: dependencies point one way)."""

from __future__ import annotations

from contextvars import ContextVar

current_channel: ContextVar[str] = ContextVar("egovpm_audit_channel", default="system")
