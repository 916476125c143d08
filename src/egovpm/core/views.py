from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers after a trivial database query (api.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def language_of(request: Any) -> str:
    lang = getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans"
    return "en" if lang.startswith("en") else "zh"
