"""The API's JSON parser (settings REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), stricter than DRF's:

- **Nesting is bounded** (`MAX_DEPTH`): the depth is counted by a flat scan of the text *before*
  `json.loads` runs, so `[[[[…]]]]` 50,000 deep is a 400 `parse_error` instead of the
  RecursionError (500) that Python's recursive JSON scanner raises; the scan itself is a loop over
  regular-expression matches and cannot recurse. No body of api.md nests deeper than 4.
- **The body is an object**: `null`, a number, a string or a list where every write endpoint
  expects `{…}` is a 400 `parse_error` (before, views calling `request.data.get` answered 500).
- **Every string** (keys included) passes the long-text rule of `egovpm.core.validators`: no
  control, bidirectional or zero-width character anywhere in a JSON body (line breaks and tabs
  allowed; the serializers' `ShortText` fields refuse those too where a single line is expected).
  A refusal is a 400 `invalid` whose `details` names the field by its path (`items[1].code`).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from egovpm.core.errors import CoreError, FieldError, FieldErrors, InvalidInput, render
from egovpm.core.validators import text_error

MAX_DEPTH = 32

# a complete JSON string (escapes included) or one bracket; brackets inside strings are skipped
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Raise ParseError when arrays/objects nest deeper than `limit` (iterative: never recurses)."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                raise ParseError(render(CoreError.JSON_TOO_DEEP, {"limit": limit}))
        elif token in ("]", "}"):
            depth -= 1


def check_strings(data: Any) -> None:
    """Raise InvalidInput naming every field whose text (or key) holds a refused character."""
    errors: dict[str, FieldErrors] = {}
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            problem = text_error(value, multiline=True)
            if problem:
                errors[path or "non_field_errors"] = problem
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if text_error(str(key), multiline=False):
                    errors[child] = FieldError(CoreError.FIELD_NAME_CONTROL_CHARACTER)
                    continue
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
    if errors:
        raise InvalidInput(CoreError.REQUEST_INVALID, fields=dict(sorted(errors.items())))


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(render(CoreError.JSON_NOT_TEXT, {"encoding": encoding})) from None
        check_depth(text)
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            where = {"line": getattr(exc, "lineno", 1), "column": getattr(exc, "colno", 1)}
            raise ParseError(render(CoreError.JSON_MALFORMED, where)) from None
        if not isinstance(data, dict):
            raise ParseError(render(CoreError.JSON_NOT_OBJECT))
        check_strings(data)
        return data
