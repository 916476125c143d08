"""API plumbing shared by every app: the error body of api.md and pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egovpm.core.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def paginated(request: Any, view: Any, rows: Any, serializer: Any, context: dict[str, Any] | None = None) -> Response:
    """A list in the shape of api.md: {"count", "results", "next", "previous"}."""
    paginator = Pagination()
    page: list[Any] | None = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context=context or {}).data)


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
