from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import loader
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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400 (config/urls.py): what Django answers itself when it refuses a request before or
    outside a view's own checks — a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a
    `BadRequest` raised by a page.

    Under /api/ the answer is the API's error body (api.md): `request_too_large` with the limit, or
    `invalid` with reason `bad_request`. Elsewhere the generic 400 page, which shows the words of a
    `BadRequest` a page raised on purpose (a filter or `as_of` it refused) and nothing of any other
    refusal (a SuspiciousOperation's text is for the log, not the visitor)."""
    from egovpm.core.errors import CoreError, api_code, render
    from egovpm.core.validators import DATE_MESSAGE

    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            reason, params = CoreError.REQUEST_TOO_LARGE, {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        else:
            reason, params = CoreError.BAD_REQUEST, {}
        body = {
            "code": api_code(reason) or "invalid",
            "message": render(reason, params),
            "details": None,
            "reason": {"code": str(reason), "params": params},
            "details_codes": None,
        }
        return JsonResponse(body, status=400)
    shown = ""
    if type(exception) is BadRequest:
        shown = str(exception)
        if shown == DATE_MESSAGE:  # parse_date's internal words: the user reads them in their language
            shown = render(CoreError.INVALID_DATE)
    return HttpResponseBadRequest(loader.get_template("400.html").render({"reason": shown}))
