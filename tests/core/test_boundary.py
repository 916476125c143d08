"""Issue 9 item 6: bad input at the boundary is a 400 naming the field (or the 400 page), never a
500 and never stored — nested JSON, bodies that are not objects, out-of-range `as_of`, loose dates,
invisible or direction-changing characters, unknown API paths under every method."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from conftest import PASSWORD
from egovpm.projects.models import Project

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
LOOSE_DATES = ["２０２６-01-05", "2026-1-5", "0001-01-01", "9999-12-31", "20260105", "2026-01-05T00:00", "2026-01-05\n"]
BIDI_AND_INVISIBLE = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u200f", "\ufeff", "\x00", "\x1b"]


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


# ------------------------------------------------------------------ JSON bodies


def test_deeply_nested_json_is_a_400_even_unauthenticated(api: Any) -> None:
    r = APIClient().post("/api/v1/auth/token", DEEP, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "parse_error"
    r = api("staff_a").post("/api/v1/projects", DEEP, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (400, "parse_error")
    r = api("staff_a").post("/api/v1/projects", '{"name": ' + DEEP + "}", content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (400, "parse_error")


def test_the_depth_check_is_a_flat_scan() -> None:
    """Brackets inside strings do not count; a million levels are refused quickly, without recursion."""
    from egovpm.core.parsers import MAX_DEPTH, check_depth

    check_depth(json.dumps({"a": "[[[[" * 1000, "b": [[[1]]]}))
    check_depth("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    started = time.perf_counter()
    from django.utils import translation

    with translation.override("en"), pytest.raises(Exception, match="nesting deeper"):
        check_depth("[" * 1_000_000)
    assert time.perf_counter() - started < 2


def _write_routes() -> list[tuple[str, str]]:
    """(method, path) of every API route that accepts a body, its parameters filled in."""

    def walk(patterns: list[Any], prefix: str) -> list[tuple[str, Any]]:
        out = []
        for p in patterns:
            if isinstance(p, URLResolver):
                out.extend(walk(p.url_patterns, prefix + str(p.pattern)))
            elif isinstance(p, URLPattern):
                out.append((prefix + str(p.pattern), p.callback))
        return out

    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/")
    routes = []
    for pattern, callback in walk(api.url_patterns, "/api/v1/"):
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        for method in ("post", "put", "patch"):
            if view is not None and hasattr(view, method):
                routes.append((method, pattern))
    return routes


@pytest.mark.parametrize("body", ["null", "3", "[1, 2]", '"text"', "true"])
def test_a_body_that_is_not_an_object_is_never_a_500(body: str, project: Any, api: Any) -> None:
    values = {
        "project_id": str(project.pk),
        "document_id": str(uuid.uuid4()),
        "adjustment_id": str(uuid.uuid4()),
        "review_id": str(uuid.uuid4()),
        "system_id": str(uuid.uuid4()),
        "period": "2025-H1",
        "code": "moa",
        "username": "expert_assigned",
        "seq": "1",
    }
    routes = _write_routes()
    assert len(routes) > 20
    for persona in ("staff_a", "ndrc"):
        client = api(persona)
        for method, pattern in routes:
            path = pattern
            for name, value in values.items():
                for conv in ("str", "int", "uuid"):
                    path = path.replace(f"<{conv}:{name}>", value)
            # the ids of the later modules (inspection_id, procurement_id, rectification_id …): unknown rows
            path = re.sub(r"<(?:str|uuid):[a-z_]+_id>", str(uuid.uuid4()), path)
            assert "<" not in path, path
            r = getattr(client, method)(path, body, content_type="application/json")
            assert r.status_code < 500, (persona, method, path, r.status_code)
            assert r.status_code != 200 and r.status_code != 201, (persona, method, path)
            assert "code" in r.json(), (persona, method, path)
    # the project's own PATCH (which read the body before: a 500) answers the parse error
    r = api("staff_a").patch(f"/api/v1/projects/{project.pk}", body, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (400, "parse_error")


# ------------------------------------------------------------------ as_of


def test_as_of_out_of_range_is_a_400_on_every_api_parser(project: Any, api: Any) -> None:
    urls = [
        f"/api/v1/projects/{project.pk}/reports",
        f"/api/v1/projects/{project.pk}/compliance",
        f"/api/v1/projects/{project.pk}/budget-execution",
        "/api/v1/reports/portfolio",
        "/api/v1/reports/portfolio/export",
    ]
    for url in urls:
        persona = "ndrc" if "portfolio" in url else "staff_a"
        for bad in ("9999-12-31", "0001-01-01", "２０２６-01-05", "2026-1-5"):
            r = api(persona).get(url, {"as_of": bad})
            assert r.status_code == 400, (url, bad, r.status_code)
            assert r.json()["details_codes"] == {"as_of": {"code": "invalid_date", "params": {}}}
            assert set(r.json()["details"]) == {"as_of"}
        assert api(persona).get(url, {"as_of": "2026-06-30"}).status_code == 200, url
    r = api("audit_admin").get("/api/v1/audit", {"date_from": "9999-12-31"})
    assert r.status_code == 400 and "date_from" in r.json()["details"]


def test_as_of_out_of_range_is_the_400_page_in_the_ui(project: Any) -> None:
    pages = [
        (reverse("web:project_compliance", kwargs={"pk": project.pk}) + "?as_of={}", "staff_a"),
        (reverse("web:report_home") + "?as_of={}", "ndrc"),
        (reverse("web:report_home") + "?as_of={}", "staff_a"),
        (reverse("web:report_portfolio_export") + "?as_of={}", "ndrc"),
    ]
    for template, persona in pages:
        c = login(persona)
        for bad in ("9999-12-31", "0001-01-01", "2026-1-5"):
            r = c.get(template.format(bad))
            assert r.status_code == 400, (template, bad, r.status_code)
            assert "YYYY-MM-DD" in r.content.decode()
        assert c.get(template.format("2026-06-30")).status_code == 200, template


# ------------------------------------------------------------------ dates


def test_the_shared_date_rule() -> None:
    from egovpm.core.validators import parse_date

    assert parse_date("2026-01-05").isoformat() == "2026-01-05"
    for bad in [*LOOSE_DATES, "", None, 20260105, "2026-02-30", "1989-12-31", "2100-01-01"]:
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.parametrize("bad", LOOSE_DATES)
def test_loose_dates_are_refused_by_the_api(bad: str, project: Any, api: Any) -> None:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/transition",
        {"action": "submit_needs_analysis", "effective_date": bad},
        format="json",
    )
    assert r.status_code == 400 and "effective_date" in r.json()["details"], r.json()
    r = api("archivist_assigned").post(
        f"/api/v1/projects/{project.pk}/archive-acceptances",
        {"accepted_on": bad, "organizer": "国家档案局", "result": "passed", "opinion": "同意"},
        format="json",
    )
    assert r.status_code == 400 and "accepted_on" in r.json()["details"], r.json()
    project.refresh_from_db()
    assert project.stage == "draft"


def test_loose_dates_are_refused_by_the_forms(project: Any) -> None:
    from django.core.exceptions import ValidationError

    from egovpm.core.validators import StrictDateFormField

    field = StrictDateFormField()
    for bad in LOOSE_DATES:
        with pytest.raises(ValidationError):
            field.clean(bad)
    assert field.clean("2026-01-05").isoformat() == "2026-01-05"
    r = login("staff_a").post(
        reverse("web:project_transition", kwargs={"pk": project.pk}),
        {"action": "submit_needs_analysis", "effective_date": "２０２６-01-05"},
        follow=True,
    )
    assert "请按 YYYY-MM-DD 格式填写" in r.content.decode()
    project.refresh_from_db()
    assert project.stage == "draft"


# ------------------------------------------------------------------ text


def test_the_shared_text_rule() -> None:
    from egovpm.core.validators import text_problem

    assert text_problem("甲部委 电子政务 (二期) — A-1") is None
    assert text_problem("第一行\n第二行\t缩进\r\n", multiline=True) is None
    assert text_problem("第一行\n第二行") is not None  # a short text is one line
    for ch in BIDI_AND_INVISIBLE:
        assert text_problem(f"项目{ch}名称") is not None, repr(ch)
        assert text_problem(f"项目{ch}名称", multiline=True) is not None, repr(ch)


@pytest.mark.parametrize("ch", BIDI_AND_INVISIBLE)
def test_project_names_with_invisible_characters_are_refused(ch: str, api: Any) -> None:
    before = Project.objects.count()
    body = {"name": f"政务平台{ch}exe.pdf", "lead_department": "moa"}
    r = api("staff_a").post("/api/v1/projects", body, format="json")
    assert r.status_code == 400 and "name" in r.json()["details"], r.json()
    assert Project.objects.count() == before


def test_a_line_break_in_a_name_is_refused_but_allowed_in_long_text(api: Any) -> None:
    r = api("staff_a").post("/api/v1/projects", {"name": "政务\n平台", "lead_department": "moa"}, format="json")
    assert r.status_code == 400 and "name" in r.json()["details"]
    r = api("staff_a").post(
        "/api/v1/projects",
        {"name": "政务平台", "lead_department": "moa", "construction_goals": "一、目标\n二、内容"},
        format="json",
    )
    assert r.status_code == 201, r.json()


def test_nested_fields_are_named_by_their_path(project: Any, api: Any) -> None:
    r = api("staff_a").put(
        f"/api/v1/projects/{project.pk}/estimate",
        {
            "total": "100.00",
            "items": [
                {"code": "01", "name": "甲", "amount": "50.00"},
                {"code": "0\u200b1", "name": "乙", "amount": "50.00"},
            ],
        },
        format="json",
    )
    assert r.status_code == 400
    assert "items[1].code" in r.json()["details"], r.json()


def test_project_form_refuses_bidi_characters(personas: Any) -> None:
    before = Project.objects.count()
    r = login("staff_a").post(
        reverse("web:project_create"),
        {"name": "政务\u202e平台", "lead_department": "moa", "responsible_leader_name": "张三"},
    )
    assert r.status_code in (200, 400)
    assert "不得包含" in r.content.decode()
    assert Project.objects.count() == before


# ------------------------------------------------------------------ unknown API paths


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_api_paths_are_a_json_404_for_every_method(method: str) -> None:
    for client in (APIClient(enforce_csrf_checks=True), _session_client()):
        if method == "get":
            r = client.get("/api/v1/no-such-thing")
        else:
            r = getattr(client, method)("/api/v1/no-such-thing", "{}", content_type="application/json")
        assert r.status_code == 404, (method, r.status_code)
        assert r["Content-Type"].startswith("application/json")
        assert r.json()["code"] == "not_found"


def _session_client() -> Client:
    c = Client(enforce_csrf_checks=True)
    assert c.login(username="staff_a", password=PASSWORD)
    return c
