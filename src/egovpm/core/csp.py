"""Content-Security-Policy on every response (docs/adr/0002-security-choices.md, "CSP").

Django 5.2 has no CSP of its own; this is the whole of it (a dependency such as django-csp would
add configuration surface for three fixed policies). The pages load only their own static files:
htmx and ECharts are vendored under web/static/web/vendor, behaviour lives in web/static/web/app.js
(loaded with `defer`), and no template carries an inline script or an on* handler
(tests/web/test_csp.py scans them). Consequences a template author must know:

- no `<script>…</script>` with a body, no `onclick=`/`onsubmit=`/`hx-on`, no `javascript:` URLs:
  put behaviour in app.js behind a data attribute (`data-confirm`, `data-autosubmit`, …);
- htmx is told (meta htmx-config in web/base.html) not to inject its indicator <style> element and
  not to eval anything;
- `style=` attributes are allowed (style-src-attr 'unsafe-inline'): a bar's width is data, and
  ECharts writes style attributes into its tooltips. An attribute cannot load anything (img-src and
  font-src stay 'self') nor select other elements, so it cannot exfiltrate; <style> elements and
  stylesheets from elsewhere remain forbidden (style-src-elem 'self').

API responses (JSON, files) get a policy that allows nothing at all. The Swagger UI page
(/api/v1/docs) is the one exception with its own policy: drf-spectacular's split view serves its
start-up script as a separate file (no inline script), but the page has an inline <style> block and
Swagger UI's React code sets inline styles, and it shows data: images.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

HEADER = "Content-Security-Policy"

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",  # data: for the empty favicon (base.html) and ECharts' exported images
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
API_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none yet (a view may set its own, like the docs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = API_POLICY if request.path.startswith("/api/") else PAGE_POLICY
        return response


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """/api/v1/docs: Swagger UI (vendored sidecar) without an inline script, under DOCS_POLICY."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response[HEADER] = DOCS_POLICY
        return response
