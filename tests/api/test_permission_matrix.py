"""Permission matrix: every API endpoint × every persona (and anonymous) × own/other department.

Each case builds its own state (function-scoped fixtures), sends one request and checks the status
the registry in endpoints.py expects; error answers must carry the body of api.md."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver

from .endpoints import COLUMNS, ENDPOINTS, PERSONAS, REGISTRY, Ctx, Endpoint, cases

IGNORED_METHODS = {"options", "head", "trace"}  # provided by the framework for every view


def _implemented_methods(view_class: type) -> set[str]:
    return {m for m in view_class.http_method_names if m not in IGNORED_METHODS and hasattr(view_class, m)}


def _api_endpoints() -> set[tuple[str, str]]:
    """(pattern name, method) of every route in egovpm.config.api_urls, domain apps' includes too."""
    from egovpm.config.api_urls import urlpatterns

    found: set[tuple[str, str]] = set()
    pending = list(urlpatterns)
    while pending:
        pattern = pending.pop()
        if isinstance(pattern, URLResolver):
            pending.extend(pattern.url_patterns)
            continue
        assert isinstance(pattern, URLPattern)
        assert pattern.name, f"unnamed API route {pattern.pattern}"
        view_class = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        assert view_class is not None, f"{pattern.name}: function views are not supported by the matrix"
        found |= {(pattern.name, m) for m in _implemented_methods(view_class)}
    return found


def test_every_endpoint_is_registered() -> None:
    missing = sorted(_api_endpoints() - set(REGISTRY))
    assert not missing, "endpoints without permission expectations — add them to tests/api/endpoints.py: " + ", ".join(
        f"{m.upper()} api:{n}" for n, m in missing
    )


def test_registry_has_no_stale_entries() -> None:
    stale = sorted(set(REGISTRY) - _api_endpoints())
    assert not stale, f"registered endpoints that no longer exist: {stale}"


def test_every_case_names_every_persona() -> None:
    assert [None, *PERSONAS] == COLUMNS
    for e in ENDPOINTS:
        assert set(e.expect) == {None, *PERSONAS}, e.key


@pytest.fixture
def mob_project(other_project: Any, personas: dict[str, Any]) -> Any:
    """mob's project, with the *_other personas assigned: the mirror image of `project`."""
    from egovpm.projects.services import assignment_add

    for persona, task in (
        ("archivist_other", "archivist"),
        ("inspector_other", "inspector"),
        ("expert_other", "expert"),
    ):
        assignment_add(actor=personas["ndrc"], project_id=other_project.pk, username=persona, task=task)
    return other_project


def _case_id(case: tuple[Endpoint, str, str | None]) -> str:
    e, side, persona = case
    return f"{e.method.upper()}-{e.name}-{side}-{persona or 'anonymous'}"


@pytest.mark.parametrize("case", cases(), ids=_case_id)
def test_permission(
    case: tuple[Endpoint, str, str | None], project: Any, personas: Any, api: Any, request: pytest.FixtureRequest
) -> None:
    endpoint, side, persona = case
    target = project if side == "own" else request.getfixturevalue("mob_project")  # built only when needed
    ctx = Ctx(side=side, persona=persona, project=target, personas=personas)
    call = endpoint.build(ctx)
    client = api(persona)
    kwargs: dict[str, Any] = {}
    if call.data is not None:
        kwargs = {"data": call.data, "format": call.format}
    expected = endpoint.expected(persona, side)
    before = _state(target)
    response = getattr(client, endpoint.method)(call.path, **kwargs)
    body = response.content[:300] if not getattr(response, "streaming", False) else b"<stream>"
    assert response.status_code == expected, (
        f"{endpoint.method.upper()} {call.path} as {persona or 'anonymous'} ({side} side): "
        f"{response.status_code}, expected {expected}: {body!r}"
    )
    if expected in (401, 403, 404):
        data = response.json()
        assert {"code", "message", "details"} <= set(data), data
        assert isinstance(data["code"], str) and data["code"], data
        assert isinstance(data["message"], str) and data["message"], data
        # a refusal changes nothing: not the project, its events, nor the audit trail
        assert _state(target) == before, f"{endpoint.key} as {persona}: a refused request changed data"


def _state(project: Any) -> tuple[Any, ...]:
    from egovpm.audit.models import AuditEvent
    from egovpm.projects.models import Project

    p = Project.objects.get(pk=project.pk)
    writes = AuditEvent.objects.exclude(action="auth.token_issue").count()
    return (p.stage, p.name, p.version, p.completion_entrusted, p.events.count(), writes)


def test_unknown_api_path_answers_in_the_error_body(api: Any) -> None:
    r = api("ndrc").get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
