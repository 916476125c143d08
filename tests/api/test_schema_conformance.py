"""The OpenAPI schema tells the truth: schemathesis sends generated requests to every operation of
/api/v1/schema, against the Django app in-process (WSGI), as a department user and as NDRC
(Bearer tokens), and checks each answer against the schema: no 5xx, a documented status, the
documented content type, a body that validates (docs/api-schema.md).

Bounded so that `make test` stays quick: a few examples per operation, no deadline, no shrinking,
derandomized (hypothesis seeds from each test's name, so every run sends the same requests) and no
example database. Each operation is one pytest item in a rolled-back transaction, so whatever the
fuzzer writes never reaches another test. Half of the generated path parameters are replaced by
the ids of a real project in construction (with its estimate, review, systems, documents), so the
fuzzer reaches the views' validation and rules instead of answering 404 only.

Marked `fuzz`: it runs once, in the SQLite pass (Makefile test-postgres deselects it) — the schema
and the views are the same on both engines, and a second run would double its minutes."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import advance

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _load_schema() -> Any:
    """The schema exactly as /api/v1/schema serves it, fetched through the WSGI app at collection
    (pytest-django has set Django up by then; building the schema touches no database)."""
    from egovpm.config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema", application)


schema = _load_schema()


@pytest.fixture
def world(project: Any, personas: dict[str, Any]) -> dict[str, str]:
    """A project of moa in construction, with what the lifecycle records on the way: the ids the
    fuzzer's path parameters are replaced with."""
    from egovpm.budgets.models import Adjustment
    from egovpm.documents.models import Document
    from egovpm.reviews.models import ExpertReview, Specialty
    from egovpm.security.models import InformationSystem

    p = advance(project, personas, "construction")
    known = {
        "project_id": str(p.pk),
        "document_id": Document.objects.filter(project=p).values_list("pk", flat=True).first(),
        "review_id": ExpertReview.objects.filter(project=p).values_list("pk", flat=True).first(),
        "system_id": InformationSystem.objects.filter(project=p).values_list("pk", flat=True).first(),
        "adjustment_id": Adjustment.objects.filter(project=p).values_list("pk", flat=True).first(),
        "code": Specialty.objects.values_list("code", flat=True).first(),
        "username": "archivist_assigned",
        "period": "2025-H1",
        "seq": "1",
    }
    return {k: str(v) for k, v in known.items() if v is not None}


def _check(case: Any, world: dict[str, str], user: Any) -> None:
    from egovpm.accounts.auth import token_issue

    for name, value in (case.path_parameters or {}).items():
        # half of them real (deterministically: by the generated value), half as generated
        if name in world and zlib.crc32(repr(value).encode()) % 2 == 0:
            case.path_parameters[name] = world[name]
    case.call_and_validate(headers={"Authorization": f"Bearer {token_issue(user=user)}"}, checks=CHECKS)


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_as_department_staff(case: Any, world: dict[str, str], personas: dict[str, Any]) -> None:
    _check(case, world, personas["staff_a"])


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_as_ndrc(case: Any, world: dict[str, str], personas: dict[str, Any]) -> None:
    _check(case, world, personas["ndrc"])


# ------------------------------------------------------------------ every persona's statuses


def _schema_paths() -> dict[str, str]:
    """URL pattern name under namespace `api` -> its path in the schema."""
    from django.urls import URLPattern, URLResolver

    from egovpm.config.api_urls import urlpatterns

    found: dict[str, str] = {}
    pending: list[tuple[str, Any]] = [("", p) for p in urlpatterns]
    while pending:
        prefix, pattern = pending.pop()
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            pending.extend((route, p) for p in pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[pattern.name] = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return found


def test_every_status_of_the_permission_matrix_is_documented() -> None:
    """The fuzzer asks as two personas; the permission matrix (tests/api/endpoints.py) knows what
    every persona and anonymous get from every operation: each of those statuses is documented,
    with the error body for an error."""
    from .endpoints import ENDPOINTS

    paths = schema.raw_schema["paths"]
    where = _schema_paths()
    undocumented = []
    for endpoint in ENDPOINTS:
        if endpoint.name in ("schema", "docs"):  # the schema and its viewer are not operations of the API
            continue
        responses = paths[where[endpoint.name]][endpoint.method]["responses"]
        for status in sorted(set(endpoint.expect.values())):
            response = responses.get(str(status))
            if response is None:
                undocumented.append(f"{endpoint.method.upper()} {where[endpoint.name]}: {status}")
            elif status >= 400:
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (endpoint.key, status)
    assert not undocumented, "statuses the schema does not document: " + ", ".join(undocumented)


def test_lists_are_documented_as_pages() -> None:
    page = schema.raw_schema["components"]["schemas"]["PaginatedProjectOutList"]
    assert set(page["properties"]) == {"count", "results", "next", "previous"}
    for path in ("/api/v1/projects", "/api/v1/departments", "/api/v1/audit"):
        ok = schema.raw_schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].startswith("#/components/schemas/Paginated"), path
