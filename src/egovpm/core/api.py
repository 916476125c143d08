"""API plumbing shared by every app: the error body of api.md and pagination."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from egovpm.core.errors import CoreError, DomainError, FieldError, InvalidInput, NotFound


def iso_datetime(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    """DRF's DateTimeField.to_representation (ISO 8601 in the current time zone, +00:00 as Z, None
    stays None) without its per-value time-zone lookups: for lists that build their rows as plain
    dicts (`zone` = django.utils.timezone.get_current_timezone(), looked up once a page)."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def paginated(request: Any, view: Any, rows: Any, serializer: Any, context: dict[str, Any] | None = None) -> Response:
    """A list in the shape of api.md: {"count", "results", "next", "previous"}."""
    paginator = Pagination()
    page: list[Any] | None = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context=context or {}).data)


def reversed_ordering(ordering: Sequence[str]) -> list[str]:
    return [f[1:] if f.startswith("-") else "-" + f for f in ordering]


def ordered_slice(queryset: Any, ordering: Sequence[str], start: int, stop: int, *, keys: Any = None) -> list[Any]:
    """`list(queryset.order_by(*ordering)[start:stop])`. With `keys` (the same rows as a queryset
    whose SELECT needs only the ordering, the filter and the primary key, e.g. the queryset before
    its annotations) the slice's primary keys are read first in a subquery, then its rows by primary
    key: where an index covers the ordering and the filter's columns, PostgreSQL skips the rows
    the filter drops on the index's entries (an index-only scan) instead of reading each one's row
    (a department's page among 100,000 projects: 31 index pages instead of 1,600 rows)."""
    if keys is None:
        return list(queryset.order_by(*ordering)[start:stop])
    page = keys.order_by(*ordering).values("pk")[start:stop]
    return list(queryset.filter(pk__in=page).order_by(*ordering))


def slice_from_nearer_end(
    queryset: Any, ordering: Sequence[str], start: int, stop: int, total: int, *, keys: Any = None
) -> list[Any]:
    """Rows [start:stop) of `queryset` in `ordering`, `total` rows in all. A slice in the second
    half is read from the other end (reverse order, the smaller OFFSET, rows reversed back): with
    an index on the ordering, the last pages cost what the first ones do. `keys`: ordered_slice."""
    stop = min(stop, total)
    if start >= stop:
        return []
    if start > total // 2:
        backwards = reversed_ordering(ordering)
        return ordered_slice(queryset, backwards, total - stop, total - start, keys=keys)[::-1]
    return ordered_slice(queryset, ordering, start, stop, keys=keys)


class KeysetPagination(Pagination):
    """A list paged by keyset (`cursor=`), in the same shape {"count","results","next","previous"}.

    `ordering` is the list's order, Django style ("-created_at", "code"), and must end in a
    unique field so that every row has one place. `next`/`previous` carry an opaque `cursor`
    (the boundary row's ordering values): the page after it is `WHERE (ordering) > boundary
    ORDER BY ordering LIMIT n`, which an index on the ordering answers by reading n entries — a
    page near the end costs what the first costs. The condition also bounds the first ordering
    field alone (`created_at <= x AND (...)`) so that PostgreSQL starts its index scan at the
    boundary instead of filtering from the top.

    `page=N` keeps working for the clients that used it (OFFSET; its `next`/`previous` stay page
    numbers); a page in the second half of the list is read from the other end
    (slice_from_nearer_end), so the last pages cost what the first ones do.
    Only the middle of a very long list pays an OFFSET of half the list. `count` is exact."""

    cursor_query_param = "cursor"

    def __init__(
        self,
        ordering: Sequence[str],
        *,
        columns: Sequence[str] = (),
        count: Callable[[], int] | None = None,
        keys_first: bool = False,
    ) -> None:
        """`columns`: read the page as .values(*columns) (rows are dicts); `count`: the list's
        exact count when the caller has a cheaper way than queryset.count(); `keys_first`: read
        the page's primary keys first, then its rows (ordered_slice: for a filter that an index
        covering the ordering can judge on its entries)."""
        self.ordering = tuple(ordering)
        self.columns = tuple(columns)
        self.counter = count
        self.keys_first = keys_first
        self.fields = [(f.lstrip("-"), f.startswith("-")) for f in self.ordering]

    # -- the cursor: base64url(JSON [direction, [value, …]])

    def _encode(self, direction: str, row: Any) -> str:
        values = [self._value(row, name) for name, _desc in self.fields]
        text = json.dumps([direction, [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values]])
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def _decode(self, queryset: QuerySet[Any], cursor: str) -> tuple[str, list[Any]]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            direction, texts = json.loads(raw)
            if direction not in ("n", "p") or not isinstance(texts, list) or len(texts) != len(self.fields):
                raise ValueError(cursor)
            meta = queryset.model._meta
            values = [meta.get_field(name).to_python(t) for (name, _d), t in zip(self.fields, texts, strict=True)]
            if any(v is None for v in values):
                raise ValueError(cursor)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, DjangoValidationError):
            problem = FieldError(CoreError.UNKNOWN, {"value": cursor[:60]})
            raise InvalidInput(CoreError.INVALID, fields={self.cursor_query_param: problem}) from None
        return direction, values

    @staticmethod
    def _value(row: Any, name: str) -> Any:
        return row[name] if isinstance(row, dict) else getattr(row, name)

    def _after(self, values: list[Any], *, backwards: bool) -> Q:
        """Rows strictly after the boundary in the list's order (before it when `backwards`)."""
        q = Q(pk__in=[])
        for i, (name, desc) in enumerate(self.fields):
            later = "lt" if desc != backwards else "gt"
            step = Q(**{f"{name}__{later}": values[i]})
            for j in range(i):
                step &= Q(**{self.fields[j][0]: values[j]})
            q |= step
        first, desc = self.fields[0]
        return Q(**{f"{first}__{'lte' if desc != backwards else 'gte'}": values[0]}) & q

    # -- DRF's pagination interface

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any]:
        self.request = request
        self.http: Any = request  # the same, not Optional (DRF types self.request as Request | None)
        size = self.get_page_size(request) or self.page_size
        self.count = self.counter() if self.counter is not None else queryset.count()
        self.keys = queryset if self.keys_first else None
        if self.columns:
            queryset = queryset.values(*self.columns)
        self.next_url: str | None = None
        self.previous_url: str | None = None
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            return self._keyset_page(queryset, cursor, size)
        if self.page_query_param in request.query_params:
            return self._numbered_page(queryset, size)
        rows = ordered_slice(queryset, self.ordering, 0, size + 1, keys=self.keys)
        return self._forward(rows, size, has_previous=False)

    def _forward(self, rows: list[Any], size: int, *, has_previous: bool) -> list[Any]:
        if len(rows) > size:
            rows = rows[:size]
            self.next_url = self._link("n", rows[-1])
        if has_previous and rows:
            self.previous_url = self._link("p", rows[0])
        return rows

    def _keyset_page(self, queryset: Any, cursor: str, size: int) -> list[Any]:
        direction, values = self._decode(queryset, cursor)
        boundary = self._after(values, backwards=direction == "p")
        keys = self.keys.filter(boundary) if self.keys is not None else None
        if direction == "n":
            rows = ordered_slice(queryset.filter(boundary), self.ordering, 0, size + 1, keys=keys)
            return self._forward(rows, size, has_previous=True)
        before = queryset.filter(boundary)
        rows = ordered_slice(before, reversed_ordering(self.ordering), 0, size + 1, keys=keys)
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        if rows:
            self.next_url = self._link("n", rows[-1])
            if more_before:
                self.previous_url = self._link("p", rows[0])
        return rows

    def _numbered_page(self, queryset: Any, size: int) -> list[Any]:
        raw = self.http.query_params.get(self.page_query_param) or "1"
        pages = max(1, -(-self.count // size))
        try:
            number = pages if raw in self.last_page_strings else int(raw)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= pages:
            raise NotFound(CoreError.NO_SUCH_PAGE, {"page": raw[:20], "pages": pages})
        start = (number - 1) * size
        rows = slice_from_nearer_end(queryset, self.ordering, start, start + size, self.count, keys=self.keys)
        url = self.http.build_absolute_uri()
        if number < pages:
            self.next_url = replace_query_param(url, self.page_query_param, number + 1)
        if number > 1:
            self.previous_url = (
                remove_query_param(url, self.page_query_param)
                if number == 2
                else replace_query_param(url, self.page_query_param, number - 1)
            )
        return rows

    def _link(self, direction: str, row: Any) -> str:
        url = remove_query_param(self.http.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self._encode(direction, row))

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"count": self.count, "next": self.next_url, "previous": self.previous_url, "results": data})

    def get_next_link(self) -> str | None:
        return self.next_url

    def get_previous_link(self) -> str | None:
        return self.previous_url

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": "opaque keyset position from `next`/`previous` (prefer it to `page` for deep pages)",
            "schema": {"type": "string"},
        }
        return [*super().get_schema_operation_parameters(view), cursor]


def error_response(status: int, code: str, message: str, details: Any = None) -> Response:
    return Response({"code": code, "message": message, "details": details}, status=status)


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        flat = [_flatten(v) for v in detail]
        if all(isinstance(v, str) for v in flat):
            return "; ".join(flat)
        return flat
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers {"code", "message", "details"} (api.md), the words rendered from codes
    in the request's language, with the machine-readable form beside them: `reason` (the top-level
    `{"code","params"}`) and `details_codes` (per field of `details`: `{"code","params"}` or a
    list of them). docs/errors.md."""
    from egovpm.core.errors import CoreError, django_validation_codes, drf_validation_codes, render

    if isinstance(exc, DomainError):
        answer = error_response(exc.status, exc.code, exc.message, exc.details)
        reason = exc.as_reason()
        if reason is not None:
            answer.data["reason"] = reason
            answer.data["details_codes"] = exc.details_codes
        return answer
    if isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        answer = error_response(400, "invalid", render(CoreError.REQUEST_INVALID), details)
        answer.data["reason"] = {"code": str(CoreError.REQUEST_INVALID), "params": {}}
        answer.data["details_codes"] = django_validation_codes(exc)
        return answer
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        details = _flatten(exc.detail)
        if not isinstance(details, dict):
            details = {"non_field_errors": details}
        answer = error_response(400, "invalid", render(CoreError.REQUEST_INVALID), details)
        answer.data["reason"] = {"code": str(CoreError.REQUEST_INVALID), "params": {}}
        answer.data["details_codes"] = drf_validation_codes(exc.get_codes(), details)
        return answer
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
        code = "not_authenticated"
        response.status_code = 401
    message = _flatten(getattr(exc, "detail", str(exc)))
    body = {"code": code, "message": message if isinstance(message, str) else str(message), "details": None}
    response.data = body
    return response
