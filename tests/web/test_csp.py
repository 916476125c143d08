"""Content-Security-Policy on every page and API response, no inline script or handler in any
template, and HSTS behind the proxy (issue 9 item 7; core/csp.py, config/settings.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from egovpm.core.csp import API_POLICY, DOCS_POLICY, HEADER, PAGE_POLICY

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "egovpm"


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} twice in {policy}"
        parsed[name] = values
    return parsed


def assert_forbids_inline_script(policy: str) -> None:
    d = directives(policy)
    script = d.get("script-src", d.get("default-src"))
    assert script is not None, policy
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, policy
    assert not [s for s in script if s not in ("'self'", "'none'")], f"scripts from elsewhere allowed: {policy}"
    assert "script-src-elem" not in d and "script-src-attr" not in d, policy
    assert d.get("object-src", d.get("default-src")) in (["'none'"], ["'self'"]), policy
    assert d["frame-ancestors"] == ["'none'"], policy


def test_the_policies_forbid_inline_script_and_foreign_sources() -> None:
    for policy in (PAGE_POLICY, API_POLICY, DOCS_POLICY):
        assert_forbids_inline_script(policy)
        assert "http" not in policy and "*" not in policy, f"a CDN or wildcard in {policy}"
    page = directives(PAGE_POLICY)
    assert page["style-src-elem"] == ["'self'"]  # no <style> elements, no foreign stylesheets
    assert page["style-src-attr"] == ["'unsafe-inline'"]  # style attributes only (core/csp.py says why)
    assert directives(API_POLICY)["default-src"] == ["'none'"]


# --- every UI page --------------------------------------------------------------------------------


def _ui_routes() -> list[tuple[str, dict[str, str]]]:
    """(name, kwargs names) of every route of the web UI (namespace `web`): found by walking the URL
    configuration, so a new page is covered without editing this test."""
    found: list[tuple[str, dict[str, str]]] = []

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "web" and p.name:
                found.append((p.name, dict(p.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return found


def _pages(project: Any, tabs: list[str]) -> list[str]:
    """A GET URL for every UI route whose parameters can be filled from the project fixture."""
    urls: list[str] = []
    for name, params in _ui_routes():
        if name == "logout":
            continue
        if not params:
            urls.append(reverse(f"web:{name}"))
        elif set(params) == {"pk"}:
            urls.append(reverse(f"web:{name}", kwargs={"pk": project.pk}))
        elif set(params) == {"pk", "tab"}:
            urls += [reverse(f"web:{name}", kwargs={"pk": project.pk, "tab": t}) for t in tabs]
        elif set(params) == {"pk", "period"}:
            urls.append(reverse(f"web:{name}", kwargs={"pk": project.pk, "period": "2026-H1"}))
    urls += [reverse("web:project_detail", kwargs={"pk": project.pk}) + f"?tab={t}" for t in tabs]
    return urls


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def assert_no_inline_code(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"{where}: inline <script> {INLINE_SCRIPT.search(html)}"
    assert not HANDLER.search(html), f"{where}: inline event handler {HANDLER.search(html)}"  # type: ignore[union-attr]
    assert not JS_URL.search(html), f"{where}: javascript: URL"


@pytest.mark.parametrize("persona", ["staff_a", "ndrc", "expert_assigned", "audit_admin"])
def test_every_ui_page_carries_the_policy(persona: str, personas: dict[str, Any], project: Any) -> None:
    c = Client()
    c.force_login(personas[persona])
    detail = c.get(reverse("web:project_detail", kwargs={"pk": project.pk})).content.decode()
    tabs = sorted(set(re.findall(rf"/projects/{project.pk}/tab/([\w-]+)/", detail))) or ["documents"]
    pages = _pages(project, tabs)
    assert len(pages) >= 20, pages
    seen_html = 0
    for url in pages:
        r = c.get(url)
        assert r.status_code < 500, (url, r.status_code)
        assert r.get(HEADER) == PAGE_POLICY, f"{url} as {persona}: {r.get(HEADER)!r}"
        if r.status_code == 200 and r["Content-Type"].startswith("text/html"):
            assert_no_inline_code(r.content.decode(), f"{url} as {persona}")
            seen_html += 1
    assert seen_html >= 3  # the login page, the inbox, lists … (an administrator sees fewer)


def test_login_error_and_static_responses_carry_the_policy(db: Any) -> None:
    c = Client()
    for url in (reverse("web:login"), "/no-such-page/", "/static/web/app.js", "/healthz"):
        r = c.get(url)
        assert r.get(HEADER) == PAGE_POLICY, (url, r.status_code)
    login = c.get(reverse("web:login")).content.decode()
    assert_no_inline_code(login, "login")
    # htmx is told not to inject its <style> element nor to eval (meta htmx-config, web/base.html)
    assert '"includeIndicatorStyles": false' in login and '"allowEval": false' in login
    assert re.search(r'<script src="/static/web/app\.js" defer>', login)


def test_api_responses_carry_the_strict_policy(api: Any) -> None:
    client = api("staff_a")
    for url in ("/api/v1/me", "/api/v1/projects", "/api/v1/no-such-thing", "/api/v1/schema"):
        assert client.get(url).get(HEADER) == API_POLICY, url
    assert api(None).post("/api/v1/auth/token", {}, format="json").get(HEADER) == API_POLICY


def test_swagger_ui_has_its_own_policy_and_no_inline_script(db: Any) -> None:
    c = Client()
    page = c.get("/api/v1/docs")
    assert page.status_code == 200
    assert page[HEADER] == DOCS_POLICY
    html = page.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "cdn" not in html.lower()
    script = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', html)
    assert script, html
    js = c.get(script.group(1).replace("&amp;", "&"))
    assert js.status_code == 200
    assert js["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in js.content.decode()


# --- the templates themselves ---------------------------------------------------------------------


def test_no_template_has_inline_script_or_handlers() -> None:
    templates = sorted(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 20
    offenders = []
    for path in templates:
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                offenders.append(f"{path.relative_to(SRC)}:{line}: {m.group(0)[:80]}")
    assert not offenders, "inline script or handler (use data attributes and web/static/web/app.js):\n" + "\n".join(
        offenders
    )


def test_the_scan_catches_what_it_must() -> None:
    for bad in (
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<form onsubmit="return confirm(1)">',
        "<select\n  onchange='this.form.submit()'>",
        '<button hx-on:click="x()">',
        '<a href="javascript:void(0)">',
    ):
        with pytest.raises(AssertionError):
            assert_no_inline_code(bad, "sample")
    assert_no_inline_code('<script src="/static/web/app.js" defer></script><form data-confirm="确定？">', "ok")


# --- HSTS behind the proxy ------------------------------------------------------------------------

_PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
c = Client()
https = c.get("/healthz", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
http = c.get("/healthz", HTTP_HOST="localhost")
hsts = "Strict-Transport-Security"
print(settings.SECURE_HSTS_SECONDS, https.get(hsts), http.get(hsts), sep="|")
"""


def _probe(tmp_path: Path, **env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("EGOVPM_") and k != "DATABASE_URL"}
    environ |= {
        "EGOVPM_DEBUG": "1",
        "EGOVPM_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "egovpm.config.settings",
        **env,
    }
    result = subprocess.run([sys.executable, "-c", _PROBE], env=environ, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_hsts_is_sent_over_https_behind_the_proxy(tmp_path: Path) -> None:
    seconds, https, http = _probe(tmp_path, EGOVPM_BEHIND_PROXY="1")
    assert seconds == "31536000"
    assert https == "max-age=31536000"
    assert http == "None"  # never over plain HTTP (a browser ignores it there anyway)


def test_hsts_is_off_without_the_proxy_and_configurable(tmp_path: Path) -> None:
    assert _probe(tmp_path) == ["0", "None", "None"]
    seconds, https, _ = _probe(
        tmp_path, EGOVPM_BEHIND_PROXY="1", EGOVPM_HSTS_SECONDS="600", EGOVPM_HSTS_INCLUDE_SUBDOMAINS="1"
    )
    assert (seconds, https) == ("600", "max-age=600; includeSubDomains")
