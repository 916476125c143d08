"""Permission matrix: every API endpoint × every persona (and anonymous) × own/other department.

A write case builds its own state per persona (function-scoped fixtures), sends one request and
checks the status the registry in endpoints.py expects. A read (GET) case builds its state once,
whoever asks, and sends the request as every persona: the record exists, so each 404 is the scope
speaking; and every read must be guarded by a read scope (READ_ACTIONS), never by the write scope
that counts any assignment. Error answers must carry the body of api.md."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver

from .endpoints import COLUMNS, ENDPOINTS, PERSONAS, REGISTRY, Call, Ctx, Endpoint, cases

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


# The scope actions of projects.policies that guard a read (ADR 0001, "scope by action"). Every other
# action ("write", "change", "edit", "transition" …) counts any assignment, an expert's too, and may
# guard only a write: a GET that reaches the scope with one of them fails test_read.
READ_ACTIONS = frozenset({"view", "summary", "documents", "review"})


@pytest.fixture
def scope_actions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every action passed to projects.policies.scope_q (which restrict and project_for go through)."""
    from egovpm.projects import policies

    seen: list[str] = []
    real = policies.scope_q

    def recording(user: Any, action: str = "view") -> Any:
        seen.append(action)
        return real(user, action)

    monkeypatch.setattr(policies, "scope_q", recording)
    return seen


def _send(endpoint: Endpoint, call: Call, client: Any) -> Any:
    kwargs: dict[str, Any] = {}
    if call.data is not None:
        kwargs = {"data": call.data, "format": call.format}
    return getattr(client, endpoint.method)(call.path, **kwargs)


def _check_error_body(response: Any, label: str) -> None:
    data = response.json()
    assert {"code", "message", "details"} <= set(data), f"{label}: {data}"
    assert isinstance(data["code"], str) and data["code"], f"{label}: {data}"
    assert isinstance(data["message"], str) and data["message"], f"{label}: {data}"


def _target(side: str, project: Any, request: pytest.FixtureRequest) -> Any:
    return project if side == "own" else request.getfixturevalue("mob_project")  # built only when needed


@pytest.mark.parametrize("case", [c for c in cases() if c[0].method != "get"], ids=_case_id)
def test_permission(
    case: tuple[Endpoint, str, str | None], project: Any, personas: Any, api: Any, request: pytest.FixtureRequest
) -> None:
    """A write: each persona gets its own state (a write changes it), one request, the expected status."""
    endpoint, side, persona = case
    target = _target(side, project, request)
    ctx = Ctx(side=side, persona=persona, project=target, personas=personas)
    call = endpoint.build(ctx)
    expected = endpoint.expected(persona, side)
    before = _state(target)
    response = _send(endpoint, call, api(persona))
    body = response.content[:300] if not getattr(response, "streaming", False) else b"<stream>"
    assert response.status_code == expected, (
        f"{endpoint.method.upper()} {call.path} as {persona or 'anonymous'} ({side} side): "
        f"{response.status_code}, expected {expected}: {body!r}"
    )
    if expected in (401, 403, 404):
        _check_error_body(response, f"{endpoint.key} as {persona}")
        # a refusal changes nothing: not the project, its events, nor the audit trail
        assert _state(target) == before, f"{endpoint.key} as {persona}: a refused request changed data"


def _read_cases() -> list[tuple[Endpoint, str]]:
    sides = {True: ("own", "other"), False: ("own",)}
    return [(e, side) for e in ENDPOINTS if e.method == "get" for side in sides[e.project_scoped]]


@pytest.mark.parametrize("case", _read_cases(), ids=lambda c: f"GET-{c[0].name}-{c[1]}")
def test_read(
    case: tuple[Endpoint, str],
    project: Any,
    personas: Any,
    api: Any,
    scope_actions: list[str],
    request: pytest.FixtureRequest,
) -> None:
    """A read, by every persona, of ONE state built without regard to who asks: the object exists
    (the lead department and NDRC made it), so a 404 is the scope answering, never an absent record,
    and a persona outside the read scope who could still fetch it makes this fail. The scope
    consulted by every read must be a read scope (READ_ACTIONS), not the write scope."""
    endpoint, side = case
    target = _target(side, project, request)
    call = endpoint.build(Ctx(side=side, persona=None, project=target, personas=personas))
    before = _state(target)
    wrong = []
    for persona in COLUMNS:
        expected = endpoint.expected(persona, side)
        scope_actions.clear()
        response = _send(endpoint, call, api(persona))
        label = f"GET {call.path} as {persona or 'anonymous'} ({side} side)"
        if response.status_code != expected:
            body = response.content[:200] if not getattr(response, "streaming", False) else b"<stream>"
            wrong.append(f"{label}: {response.status_code}, expected {expected}: {body!r}")
        elif expected in (401, 403, 404):
            _check_error_body(response, label)
        writes = sorted(set(scope_actions) - READ_ACTIONS)
        if writes:
            wrong.append(f"{label}: a read guarded by the scope of {writes} (read scopes: {sorted(READ_ACTIONS)})")
    assert not wrong, "\n".join(wrong)
    assert _state(target) == before, f"{endpoint.key}: a read changed data"


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
