"""The OpenAPI schema tells the truth: schemathesis sends generated requests to every operation of
/api/v1/schema, against the Django app in-process (WSGI), as a department user and as NDRC
(Bearer tokens), and checks each answer against the schema: no 5xx, a documented status, the
documented content type, a body that validates (docs/api-schema.md).

Bounded so that `make test` stays quick: a few examples per operation, no deadline, no shrinking,
derandomized (hypothesis seeds from each test's name, so every run sends the same requests) and no
example database. Each operation is one pytest item in a rolled-back transaction, so whatever the
fuzzer writes never reaches another test. Three cases in four have their path parameters replaced by
the ids of a real project in construction (with its estimate, review, systems, documents), so the
fuzzer reaches the views' validation and rules instead of answering 404 only; that project is built
once per module (see `world`).

Marked `fuzz`: it runs once, in the SQLite pass (Makefile test-postgres deselects it) — the schema
and the views are the same on both engines, and a second run would double its minutes."""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from decimal import Decimal
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

from conftest import NOW, _ensure_people, advance, make_project

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

FUZZ = settings(
    max_examples=int(os.environ.get("EGOVPM_FUZZ_EXAMPLES", "6")),  # more for a deeper run by hand
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


@pytest.fixture(scope="module")
def world_media(tmp_path_factory: Any) -> Any:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, world_media: Any) -> Iterator[dict[str, str]]:
    """A project of moa in construction (prov takes part, the *_assigned personas are assigned), with
    what the lifecycle records on the way: the ids the fuzzer's path parameters are replaced with.

    Built once for the module inside a transaction that is rolled back at its end; each test runs in
    a savepoint within it (pytest-django), so every operation starts from this same state and the
    test database is left as it was."""
    from django.conf import settings as django_settings
    from django.db import transaction

    from egovpm.budgets.models import Adjustment, EstimateLine
    from egovpm.budgets.services import LineIn, adjustment_create
    from egovpm.core import clock
    from egovpm.documents.models import Document
    from egovpm.projects.services import assignment_add
    from egovpm.reviews.models import ExpertReview, Specialty
    from egovpm.security.models import InformationSystem

    saved_media = django_settings.MEDIA_ROOT
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            django_settings.MEDIA_ROOT = world_media
            clock.set_now(NOW)
            people = _ensure_people()[1]
            p = make_project(people["staff_a"], participating_departments=["prov"])
            for persona, task in (("archivist_assigned", "archivist"), ("expert_assigned", "expert")):
                assignment_add(actor=people["ndrc"], project_id=p.pk, username=persona, task=task)
            p = advance(p, people, "construction")
            line = EstimateLine.objects.filter(estimate__project=p).order_by("code").first()
            assert line is not None
            adjustment_create(  # a pending request: the adjustment endpoints reach a real one
                actor=people["staff_a"],
                project_id=p.pk,
                items=[LineIn(line.code, line.name, line.amount + Decimal("1000.00"))],
                goals_unchanged=True,
                reason="optimization",
                description="优化技术方案，调整单项工程投资",
            )
            known = {
                "project_id": p.pk,
                "document_id": Document.objects.filter(project=p).values_list("pk", flat=True).first(),
                "review_id": ExpertReview.objects.filter(project=p).values_list("pk", flat=True).first(),
                "system_id": InformationSystem.objects.filter(project=p).values_list("pk", flat=True).first(),
                "adjustment_id": Adjustment.objects.filter(project=p).values_list("pk", flat=True).first(),
                "code": Specialty.objects.values_list("code", flat=True).first(),
                "username": "archivist_assigned",
                "period": "2025-H1",
                "seq": "1",
            }
        except BaseException:
            outer.__exit__(None, None, None)
            raise
        finally:
            clock.set_now(None)
            django_settings.MEDIA_ROOT = saved_media
    yield {k: str(v) for k, v in known.items() if v is not None}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def media_root(settings: Any, world_media: Any) -> Any:
    """conftest's media_root, but the world's: the blobs of its documents are there."""
    settings.MEDIA_ROOT = world_media
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


def _check(case: Any, world: dict[str, str], user: Any) -> None:
    from egovpm.accounts.auth import token_issue

    # three cases in four reach the real objects, the fourth keeps what was generated (a 404);
    # chosen by the whole case, deterministically (bodies vary while a path parameter repeats)
    if zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode()) % 4:
        for name in case.path_parameters or {}:
            if name in world:
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


@pytest.mark.django_db
def test_an_opinion_is_read_by_the_strict_json_parser(world: dict[str, str]) -> None:
    """Found while documenting the request bodies: the opinions endpoint declared DRF's own JSON
    parser, bypassing the API's (core/parsers.py): 50,000 nested brackets were a RecursionError
    (500) and a right-to-left override in the opinion's text was stored."""
    from rest_framework.test import APIClient

    from egovpm.accounts.auth import token_issue
    from egovpm.reviews.models import PanelMember

    member = PanelMember.objects.filter(review_id=world["review_id"]).select_related("expert").first()
    assert member is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=member.expert)}")
    url = f"/api/v1/expert-reviews/{world['review_id']}/opinions"

    deep = client.post(url, "[" * 50_000 + "]" * 50_000, content_type="application/json")
    assert (deep.status_code, deep.json()["code"]) == (400, "parse_error")
    bidi = client.post(url, {"recommendation": "approve", "text": "同意\u202e"}, format="json")
    assert bidi.status_code == 400
    assert "text" in bidi.json()["details"]
