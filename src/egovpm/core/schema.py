"""The OpenAPI schema at /api/v1/schema, made to tell the truth (docs/api-schema.md).

drf-spectacular documents what a view declares with `extend_schema`: the success answer. Every
endpoint here also answers the error body of api.md, and the views are plain `APIView`s that
paginate by hand through `egovpm.core.api.Pagination`, which drf-spectacular cannot see. This
AutoSchema (settings: REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds both centrally, so that no
operation has to repeat them:

- **Errors.** Each operation documents the statuses it can answer besides its successes, all with
  the `Error` component (`{"code", "message", "details"}` and, beside them, the machine readable
  `reason` and `details_codes`; `details` and those two are free-form objects or null):
  400 when it takes a body or query parameters; 401 when it needs a token; 403 when it needs one
  (a role may not); 404 when its path names an object or it is a paginated list (a page past the
  end); 409 when it changes something (a rule or a state blocks it). An operation that answers
  something else (503 without PDF rendering) says so with `extend_schema`; a status it declares
  itself is never replaced.
- **Lists.** A GET whose answer is a list serializer is the paginated object of api.md
  (`{"count", "results", "next", "previous"}`, with the `page` and `page_size` parameters), unless
  its view says `pagination_class = None` (it answers a bare array).
- **Request bodies.** A view that keeps the default parsers documents JSON only (api.md: JSON in
  and out); a view that declares its own `parser_classes` (uploads) documents those.

tests/api/test_schema_conformance.py holds the schema to the server's answers with schemathesis.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from egovpm.core.api import Pagination

ERROR_COMPONENT = "Error"

_FREE_FORM = {"type": "object", "additionalProperties": {}, "nullable": True}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The error body of every API error (api.md).",
    "properties": {
        "code": {"type": "string", "description": "machine code, e.g. not_found, invalid, rule_violation"},
        "message": {"type": "string", "description": "human text in the request's language"},
        "details": {
            **_FREE_FORM,
            "description": "400: field name → message; 409: {'violations': [{'rule', 'clause', 'message'}]}; "
            "otherwise null",
        },
        "details_codes": {
            **_FREE_FORM,
            "description": "the machine-readable form of details: field name → {'code', 'params'} (or a list)",
        },
        "reason": {
            **_FREE_FORM,
            "description": "the machine-readable form of message: {'code', 'params'}",
        },
    },
    "required": ["code", "message", "details"],
}

ERROR_DESCRIPTIONS = {
    "400": "invalid: bad input; details maps each field to its message",
    "401": "not_authenticated: no token, or an expired or revoked one",
    "403": "forbidden: your role may not do this; password_change_required: the password was set by an "
    "administrator and is temporary (choose your own in the web interface first); administrator_no_business: "
    "an administrator (三员分立) on a business endpoint (accounts/permissions.py)",
    "404": "not_found: missing, or outside your scope (the two are indistinguishable)",
    "409": "conflict: a rule or the object's state blocks the action (details.violations)",
    "415": "unsupported_media_type: a body in a media type the operation does not read",
}

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PAGE_PARAMETERS = {"page", "page_size"}  # a bad page is a 404 (DRF), a bad page_size falls back
VALIDATED_PATH_PARAMETERS = {"period"}  # path parameters the views parse (400 when malformed)

F = TypeVar("F", bound=Callable[..., Any])


def errors(*statuses: int) -> Callable[[F], F]:
    """The exact error statuses a view method answers, where the rules of `AutoSchema.error_statuses`
    would say too much (a public endpoint, one that takes no input): `@errors(401)`."""

    def mark(method: F) -> F:
        method.__dict__["_egovpm_errors"] = [str(s) for s in statuses]
        return method

    return mark


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self) -> Any:
        # Only a GET answers a page; its view paginates with core.api.Pagination unless it opts out.
        if self.method != "GET":
            return None
        pagination_class = getattr(self.view, "pagination_class", Pagination)
        return pagination_class() if pagination_class else None

    def map_parsers(self) -> list[Any]:
        declared = any("parser_classes" in vars(cls) for cls in type(self.view).__mro__ if cls is not APIView)
        return super().map_parsers() if declared else ["application/json"]

    def _needs_token(self) -> bool:
        return not all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _takes_input(self) -> bool:
        for p in self._get_parameters():
            if p.get("in") == "query" and p["name"] not in PAGE_PARAMETERS:
                return True
            if p.get("in") == "path" and p["name"] in VALIDATED_PATH_PARAMETERS:
                return True
        return self.method not in SAFE_METHODS  # a body, or at least the chance of a malformed one

    def error_statuses(self) -> list[str]:
        """The error statuses this operation can answer (besides those it declares itself)."""
        declared = getattr(getattr(self.view, self.method.lower(), None), "_egovpm_errors", None)
        if declared is not None:
            return list(declared)
        codes = []
        if self._takes_input():
            codes.append("400")
        if self._needs_token():
            codes += ["401", "403"]
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None):
            codes.append("404")
        if self.method not in SAFE_METHODS:
            codes.append("409")
        if self._get_request_body() is not None:
            codes.append("415")
        return codes

    def _error_ref(self) -> dict[str, str]:
        component = ResolvedComponent(
            name=ERROR_COMPONENT, type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object=ERROR_COMPONENT
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = {"application/json": {"schema": self._error_ref()}}
        for code, response in responses.items():
            # an error an operation declares itself (a description only) still carries the error body
            if code >= "400" and not response.get("content"):
                response["content"] = error
        for code in self.error_statuses():
            responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code], "content": error})
        return dict(sorted(responses.items()))
