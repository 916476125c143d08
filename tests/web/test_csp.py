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
from django.urls import reverse

from egovpm.core.csp import API_POLICY, DOCS_POLICY, HEADER, PAGE_POLICY

from . import test_ui_matrix as _ui_matrix
from .ui_routes import READS, Read

# The UI permission matrix's world (records behind every page, stored files) and logged-in clients:
# pytest finds fixtures by name in this module.
world = _ui_matrix.world
clients = _ui_matrix.clients
media_root = _ui_matrix.media_root

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


# --- every UI page ---------------------------------------------------------------------------------
# The routes and the world of the UI permission matrix (tests/web/ui_routes.py, test_ui_matrix.py):
# every GET route of the web UI, each project tab, with records behind every page.

# A data block (`json_script`: <script type="application/json">) is never executed — the browser
# runs no script of that type, whatever the policy — so it is data, not inline code.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def assert_no_inline_code(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"{where}: inline <script> {INLINE_SCRIPT.search(html)}"
    assert not HANDLER.search(html), f"{where}: inline event handler {HANDLER.search(html)}"
    assert not JS_URL.search(html), f"{where}: javascript: URL"


PAGE_PERSONAS = [
    None,
    "staff_a",
    "staff_p",
    "ndrc",
    "mof",
    "expert_assigned",
    "archivist_assigned",
    "sys_admin",
    "sec_admin",
    "audit_admin",
]


@pytest.mark.parametrize("route", READS, ids=lambda r: r.id)
def test_every_ui_page_carries_the_policy(route: Read, world: dict[str, Any], clients: dict[Any, Client]) -> None:
    path = route.path(world["own"])
    html_pages = 0
    for persona in PAGE_PERSONAS:
        r = clients[persona].get(path)
        where = f"GET {path} as {persona or 'anonymous'}: {r.status_code}"
        assert r.get(HEADER) == PAGE_POLICY, f"{where}: {r.get(HEADER)!r}"
        if r.status_code == 200 and r.get("Content-Type", "").startswith("text/html"):
            assert_no_inline_code(r.content.decode(), where)
            html_pages += 1
    # the first release's tab URLs and /departments/mine/record/ only redirect: no persona gets a page there
    redirect_only = 200 not in set(route.expect.values())
    if not redirect_only and not route.name.endswith(("_export", "_template", "_document", "_attachment")):
        assert html_pages, f"{path}: no persona got the page; the test checked only refusals"
    # a project tab's panel alone, as htmx loads it, too
    if route.label.startswith("tab:"):
        panel = clients["staff_a"].get(path, headers={"HX-Request": "true", "HX-Target": "tab-panel"})
        assert panel.get(HEADER) == PAGE_POLICY
        if panel.status_code == 200:
            assert "<html" not in panel.content.decode(), f"{path}: the htmx panel is the whole page"
            assert_no_inline_code(panel.content.decode(), f"{route.label} panel")


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
