"""The domain's error type: a machine code with parameters, rendered into words on demand.

A service raises `InvalidInput(ProjectError.NAME_REQUIRED, fields={"name": FieldError(...)})`:
the *reason* is a member of its app's `ErrorCode` enum (each app's `errors.py`), the parameters
are plain values, and every field error is a code with parameters too. Nothing here holds a
sentence: the words come from the app's message table (lazy gettext templates with named
`%(param)s` placeholders), rendered in the language active when `.message` / `.details` is read —
the API renders in the request's language, the UI on its forms, the CLI in the operator's.

The API body of api.md keeps its shape and gains the machine-readable form beside it
(core/api.py::exception_handler)::

    {"code": "invalid",                                   # the API code integrators test
     "message": "生效日期不能早于上一阶段操作的生效日期（2025-03-10）。",
     "details": {"effective_date": "不得早于上一阶段操作的日期（2025-03-10）。"},
     "reason": {"code": "effective_date_before_previous", "params": {"date": "2025-03-10"}},
     "details_codes": {"effective_date": {"code": "before_previous_event",
                                          "params": {"previous": "2025-03-10"}}}}

The API `code` stays what it was before codes existed: a reason registered as *public* answers
with its own value (`duplicate_code`, `stale_version`, `not_latest` …); every other reason answers
with its class's generic code (`invalid`, `not_found`, `forbidden`, `conflict`). docs/errors.md
and ADR 0012 explain the scheme; tests/core/test_error_codes.py keeps it honest (no literal
codes, every code registered and translated).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise


class ErrorCode(StrEnum):
    """Base of every app's error codes (a `StrEnum`: a member *is* its string)."""


@dataclass(frozen=True)
class _Table:
    messages: Mapping[ErrorCode, Promise]
    api_codes: Mapping[str, str]


_TABLES: dict[type[ErrorCode], _Table] = {}


def register(
    enum: type[ErrorCode],
    messages: Mapping[Any, Promise],
    *,
    public: Iterable[ErrorCode] = (),
    api_codes: Mapping[Any, str] | None = None,
) -> None:
    """Give `enum`'s members their message templates. A `public` member answers the API with its
    own value as `code`; `api_codes` gives a member the (older, shared) API code it must keep, e.g.
    `duplicate`. Every other member answers with its class's generic code.

    Every member needs a template (checked here, at import time)."""
    missing = [m for m in enum if m not in messages]
    if missing:
        raise ImproperlyConfiguredError(f"{enum.__name__}: no message for {', '.join(missing)}")
    codes = {str(p): str(p) for p in public}
    codes.update({str(k): v for k, v in (api_codes or {}).items()})
    _TABLES[enum] = _Table(messages=dict(messages), api_codes=codes)


class ImproperlyConfiguredError(RuntimeError):
    pass


def registered() -> dict[type[ErrorCode], _Table]:
    """Every registered enum and its table (for the tests and the docs)."""
    return dict(_TABLES)


def template(code: ErrorCode) -> Promise:
    table = _TABLES.get(type(code))
    if table is None:
        raise ImproperlyConfiguredError(f"{type(code).__name__} is not registered (egovpm.core.errors.register)")
    return table.messages[code]


def render(code: ErrorCode, params: Mapping[str, Any] | None = None) -> str:
    """The words for `code` in the active language, its parameters filled in."""
    text = str(template(code))
    return text % dict(params) if params else text


def api_code(code: ErrorCode) -> str | None:
    """The API `code` this reason answers with, when it is not its class's generic one."""
    table = _TABLES.get(type(code))
    return table.api_codes.get(str(code)) if table is not None else None


@dataclass(frozen=True)
class FieldError:
    """One field's refusal: a code and its parameters (`{"code", "params"}` in the API)."""

    code: ErrorCode
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        return render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": str(self.code), "params": dict(self.params)}


# a field's refusal: one error, several, one per named thing (a dict), or rows of an import
# (a list of dicts holding plain values and field errors, e.g. {"row": 3, "errors": {...}})
FieldErrors: TypeAlias = FieldError | list[FieldError] | dict[str, FieldError] | list[dict[str, Any]]


def _render_field(value: Any) -> Any:
    if isinstance(value, FieldError):
        return value.render()
    if isinstance(value, dict):
        return {k: _render_field(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(v, FieldError) for v in value):
            return "; ".join(v.render() for v in value)
        return [_render_field(v) for v in value]
    return value


def _field_codes(value: Any) -> Any:
    if isinstance(value, FieldError):
        return value.as_dict()
    if isinstance(value, dict):
        return {k: _field_codes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_field_codes(v) for v in value]
    return value


class CoreError(ErrorCode):
    """The generic reasons, and the field codes every app shares."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NO_SUCH_PAGE = "no_such_page"
    NO_SUCH_ENDPOINT = "no_such_endpoint"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    RULE_VIOLATION = "rule_violation"
    REQUEST_INVALID = "request_invalid"
    JSON_NOT_TEXT = "json_not_text"
    JSON_TOO_DEEP = "json_too_deep"
    JSON_MALFORMED = "json_malformed"
    JSON_NOT_OBJECT = "json_not_object"
    BAD_REQUEST = "bad_request"
    REQUEST_TOO_LARGE = "request_too_large"
    # field codes
    REQUIRED = "required"
    UNKNOWN = "unknown"
    UNKNOWN_FIELD = "unknown_field"
    READ_ONLY = "read_only"
    INVALID_DATE = "invalid_date"
    DATE_IN_FUTURE = "date_in_future"
    CONTROL_CHARACTER = "control_character"
    CONTROL_CHARACTER_ANY = "control_characters"
    LINE_BREAK = "line_break"
    FIELD_NAME_CONTROL_CHARACTER = "field_name_control_character"
    DUPLICATE_ENTRY = "duplicate_entry"
    NEGATIVE = "negative"
    STALE_VERSION = "stale_version"


register(
    CoreError,
    {
        CoreError.INVALID: _("The input was not accepted; check the fields named in the details."),
        CoreError.NOT_FOUND: _("Not found."),
        CoreError.NO_SUCH_PAGE: _("There is no page %(page)s: the list has %(pages)s pages."),
        CoreError.NO_SUCH_ENDPOINT: _("No such API endpoint."),
        CoreError.FORBIDDEN: _("You may not do this."),
        CoreError.CONFLICT: _("This conflicts with the current state; reload and try again."),
        CoreError.RULE_VIOLATION: _("The action is blocked by the rules below; nothing was changed."),
        CoreError.REQUEST_INVALID: _("The request is not valid."),
        CoreError.JSON_NOT_TEXT: _("JSON parse error: the body is not %(encoding)s text."),
        CoreError.JSON_TOO_DEEP: _("JSON parse error: nesting deeper than %(limit)s levels."),
        CoreError.JSON_MALFORMED: _("JSON parse error at line %(line)s, column %(column)s."),
        CoreError.JSON_NOT_OBJECT: _("JSON parse error: the body must be a JSON object {…}."),
        CoreError.BAD_REQUEST: _("The request could not be read; nothing was changed."),
        CoreError.REQUEST_TOO_LARGE: _("The request body is larger than %(limit)s bytes; nothing was changed."),
        CoreError.REQUIRED: _("This field is required."),
        CoreError.UNKNOWN: _("Unknown value: %(value)s."),
        CoreError.UNKNOWN_FIELD: _("This field does not exist here."),
        CoreError.READ_ONLY: _("This field cannot be changed here."),
        CoreError.INVALID_DATE: _("Enter a date as YYYY-MM-DD between 1990-01-01 and 2099-12-31."),
        CoreError.DATE_IN_FUTURE: _("The date may not lie in the future."),
        CoreError.CONTROL_CHARACTER: _("Invisible or control character %(char)s is not allowed."),
        CoreError.CONTROL_CHARACTER_ANY: _("Invisible or control characters are not allowed."),
        CoreError.LINE_BREAK: _("Line breaks and tabs are not allowed here."),
        CoreError.FIELD_NAME_CONTROL_CHARACTER: _("The field name holds a character that is not allowed."),
        CoreError.DUPLICATE_ENTRY: _("Named more than once."),
        CoreError.NEGATIVE: _("Must be zero or more."),
        CoreError.STALE_VERSION: _("This was changed by someone else in the meantime; reload and try again."),
    },
    public=[CoreError.STALE_VERSION, CoreError.REQUEST_TOO_LARGE],
)


class DomainError(Exception):
    """A refusal: `reason` (an `ErrorCode`) with `params`, field errors in `fields`, and data that
    is not words (rule violations, the allowed stages …) in `data`."""

    status = 400
    code = "invalid"  # the generic API code of the class (see module docstring)
    default_reason: ErrorCode = CoreError.INVALID

    def __init__(
        self,
        reason: ErrorCode | str | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        fields: Mapping[str, FieldErrors] | None = None,
        data: Mapping[str, Any] | None = None,
        code: str | None = None,
        details: Any = None,
    ) -> None:
        # LEGACY (being removed app by app, docs/errors.md): an English sentence instead of a
        # reason, a literal `code=` and free-form `details`. tests/core/test_error_codes.py lists
        # the modules still raising this way and fails for any other.
        self._legacy_message: str | None = None
        self._legacy_details: Any = None
        if isinstance(reason, str) and not isinstance(reason, ErrorCode):
            self._legacy_message, self._legacy_details = reason, details
            if code:
                self.code = code
            reason = None
        elif reason is not None and not isinstance(reason, ErrorCode):
            raise TypeError(f"a DomainError needs an ErrorCode, not {type(reason).__name__}")
        elif code is not None or details is not None:
            raise TypeError("code= and details= belong to the legacy form; give an ErrorCode, fields= and data=")
        self.reason: ErrorCode = reason if reason is not None else self.default_reason
        self.params: dict[str, Any] = dict(params or {})
        self.fields: dict[str, FieldErrors] = dict(fields or {})
        self.data: dict[str, Any] = dict(data or {})
        public = api_code(self.reason)
        if public is not None:
            self.code = public
        super().__init__(str(self.reason))

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The top-level words, in the active language."""
        if self._legacy_message is not None:
            return self._legacy_message
        return render(self.reason, self.params)

    @property
    def details(self) -> Any:
        """api.md's `details`: the data, then each field's words (active language)."""
        if self._legacy_message is not None:
            return self._legacy_details
        if not self.fields and not self.data:
            return None
        out = dict(self.data)
        out.update({k: _render_field(v) for k, v in self.fields.items()})
        return out

    @property
    def details_codes(self) -> dict[str, Any] | None:
        """The machine-readable twin of `details`' field messages: `{"code", "params"}` each."""
        if not self.fields:
            return None
        return {k: _field_codes(v) for k, v in self.fields.items()}

    def as_reason(self) -> dict[str, Any] | None:
        if self._legacy_message is not None:
            return None
        return {"code": str(self.reason), "params": dict(self.params)}


class InvalidInput(DomainError):
    status = 400
    code = "invalid"
    default_reason = CoreError.INVALID


class NotFound(DomainError):
    """Missing, or outside the user's scope: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"
    default_reason = CoreError.NOT_FOUND


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_reason = CoreError.FORBIDDEN


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_reason = CoreError.CONFLICT


class RuleViolation(Conflict):
    """A gate blocked the action; data = {"violations": [{"rule","clause","message",...}]} (the
    rules engine renders its own messages)."""

    code = "rule_violation"
    default_reason = CoreError.RULE_VIOLATION


# ------------------------------------------------------------------ codes of Django/DRF validation


def drf_validation_codes(codes: Any, details: Mapping[str, Any]) -> dict[str, Any]:
    """`details_codes` for a DRF ValidationError: its `get_codes()` shaped like `details` (the
    codes DRF's fields and our validators give, e.g. `required`, `max_length`, `invalid_date`,
    `control_character`; DRF carries no parameters, so `params` is empty)."""

    def shape(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): shape(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [shape(v) for v in value]
            return items[0] if len(items) == 1 and isinstance(items[0], dict) and "code" in items[0] else items
        return {"code": str(value), "params": {}}

    if not isinstance(codes, dict):
        codes = {"non_field_errors": codes}
    return {k: shape(codes[k]) for k in details if k in codes}


def django_validation_codes(exc: Any) -> dict[str, Any]:
    """`details_codes` for a Django ValidationError (codes and params as Django keeps them)."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.error_list}
    return {
        k: [{"code": str(e.code or "invalid"), "params": dict(e.params or {})} for e in v] for k, v in errors.items()
    }
