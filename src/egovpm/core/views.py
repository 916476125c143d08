from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers after a trivial database query (api.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def language_of(request: Any) -> str:
    lang = getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans"
    return "en" if lang.startswith("en") else "zh"


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """An unknown path under /api/ answers in the API's error body, not an HTML page — for every
    method: exempt from the CSRF check, which would otherwise answer a POST with Django's HTML 403
    (nothing is changed here, so there is nothing to forge)."""
    from egovpm.core.errors import CoreError, render

    body = {
        "code": "not_found",
        "message": render(CoreError.NO_SUCH_ENDPOINT),
        "details": None,
        "reason": {"code": str(CoreError.NO_SUCH_ENDPOINT), "params": {}},
        "details_codes": None,
    }
    return JsonResponse(body, status=404)
