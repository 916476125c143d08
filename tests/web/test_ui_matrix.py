"""UI permission matrix: every GET route of the web UI × every persona (and anonymous) × own/other
department, against the expectation rows of ui_routes.py — and the parts of a page that belong to
a narrower scope than the page (the stage history on the project page, the compliance badges of the
project list …) through content probes.

The world (two projects per side: one in construction with a submitted report, systems and an
estimate; one in needs analysis with a concluded review) is built once for the module inside a
transaction that is rolled back at the end, so each record exists whoever asks: a 404 is the scope
speaking. Each test runs in its own savepoint. Every GET must consult only read scopes (as in the
API matrix, tests/api/test_permission_matrix.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from .ui_routes import COLUMNS, POST_ONLY, READS, TABS, Read, expected

pytestmark = pytest.mark.django_db

READ_ACTIONS = frozenset({"view", "summary", "documents", "review"})
MEDIA = Path()


def _web_route_names() -> set[str]:
    from egovpm.web.urls import urlpatterns

    names: set[str] = set()
    pending = list(urlpatterns)
    while pending:
        pattern = pending.pop()
        if isinstance(pattern, URLResolver):
            pending.extend(pattern.url_patterns)
            continue
        assert isinstance(pattern, URLPattern)
        assert pattern.name, f"unnamed web route {pattern.pattern}"
        names.add(pattern.name)
    return names


def test_every_ui_route_is_registered() -> None:
    registered = {r.name for r in READS} | POST_ONLY
    missing = sorted(_web_route_names() - registered)
    assert not missing, "web routes without expectations — add them to tests/web/ui_routes.py: " + ", ".join(missing)
    stale = sorted(registered - _web_route_names())
    assert not stale, f"registered web routes that no longer exist: {stale}"
    assert not {r.name for r in READS} & POST_ONLY


def test_every_project_tab_is_registered() -> None:
    from egovpm.web.registry import tab_keys

    assert set(tab_keys()) == set(TABS), f"tabs without expectations: {sorted(set(tab_keys()) - set(TABS))}"


# ---------------------------------------------------------------- the world, built once


def _project(side: str, personas: dict[str, Any], name: str) -> Any:
    from conftest import make_project
    from egovpm.projects.services import assignment_add

    lead = personas["staff_a" if side == "own" else "staff_b"]
    extra = {"participating_departments": ["prov"]} if side == "own" else {}
    p = make_project(lead, name=name, **extra)
    suffix = "assigned" if side == "own" else "other"
    for role in ("archivist", "inspector", "expert"):
        assignment_add(actor=personas["ndrc"], project_id=p.pk, username=f"{role}_{suffix}", task=role)
    return p


def _main(side: str, personas: dict[str, Any]) -> SimpleNamespace:
    from api.endpoints import Ctx
    from api.endpoints_reports import PERIOD, _submitted
    from api.endpoints_security import _system

    main = _project(side, personas, f"{side}矩阵建设项目")
    ctx = Ctx(side=side, persona=None, project=main, personas=personas)
    _submitted(ctx)  # in construction since 2025, the 2025-H1 report submitted
    return SimpleNamespace(
        main=ctx.project,
        approval_reference="发改高技〔2024〕1号",  # on every NDRC approval of `advance`
        period=PERIOD,
        system=_system(ctx, name="矩阵测试系统"),
    )


def _reviewed(side: str, personas: dict[str, Any], w: SimpleNamespace) -> None:
    from api.endpoints import Ctx
    from api.endpoints_reviews import _review

    rctx = Ctx(side=side, persona=None, project=_project(side, personas, f"{side}矩阵评议项目"), personas=personas)
    review = _review(rctx, concluded=True, attachment=True)
    review.refresh_from_db()
    w.reviewed = rctx.project
    w.review = review
    w.review_text = str(review.pk)  # its row links to the review
    w.attachment_by = review.members.order_by("position").first().expert.username


def _build(personas: dict[str, Any]) -> dict[str, Any]:
    """Both main projects first: walking them through the lifecycle lets the demo evidence draw
    panels from the pool, which must not yet hold the matrix's experts (they join it for the review
    of the second project of their side, and would otherwise land on another side's panel)."""
    sides = {side: _main(side, personas) for side in ("own", "other")}
    for side, w in sides.items():
        _reviewed(side, personas, w)
    return {**sides, "personas": personas}


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    from django.conf import settings
    from django.db import transaction

    from conftest import NOW, _ensure_people
    from egovpm.core import clock

    global MEDIA
    MEDIA = tmp_path_factory.mktemp("ui-matrix-media")
    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = MEDIA
    clock.set_now(NOW)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            _departments, personas = _ensure_people()
            yield _build(personas)
            transaction.set_rollback(True)
    finally:
        clock.set_now(None)
        settings.MEDIA_ROOT = old_media


@pytest.fixture
def media_root(settings: Any) -> Any:
    """The world's stored files (overrides the per-test directory of conftest)."""
    settings.MEDIA_ROOT = MEDIA
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return MEDIA


@pytest.fixture
def clients(world: dict[str, Any], db: Any) -> dict[str | None, Client]:
    out: dict[str | None, Client] = {None: Client()}
    for persona in COLUMNS[1:]:
        c = Client()
        c.force_login(world["personas"][persona])
        out[persona] = c
    return out


@pytest.fixture
def scope_actions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from egovpm.projects import policies

    seen: list[str] = []
    real = policies.scope_q

    def recording(user: Any, action: str = "view") -> Any:
        seen.append(action)
        return real(user, action)

    monkeypatch.setattr(policies, "scope_q", recording)
    return seen


def _html(response: Any) -> str:
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode()


@pytest.mark.parametrize("route", READS, ids=lambda r: r.id)
def test_ui_read(
    route: Read, world: dict[str, Any], clients: dict[str | None, Client], scope_actions: list[str]
) -> None:
    wrong: list[str] = []
    for side in ("own", "other"):
        w = world[side]
        path = route.path(w)
        for persona in COLUMNS:
            want = expected(route.expect, persona, side)
            scope_actions.clear()
            response = clients[persona].get(path)
            label = f"GET {path} as {persona or 'anonymous'} ({side} side)"
            got = response.status_code
            if got != want:
                wrong.append(f"{label}: {got}, expected {want}")
                continue
            if got == 302 and persona is None:
                assert response.url.startswith(reverse("web:login")), label
            reads = sorted(set(scope_actions) - READ_ACTIONS)
            if reads:
                wrong.append(f"{label}: a read guarded by the scope of {reads} (read scopes: {sorted(READ_ACTIONS)})")
            if got == 200:
                html = _html(response)
                for probe in route.probes:
                    shown = probe.present(html, w)
                    if shown != bool(expected(probe.expect, persona, side)):
                        wrong.append(f"{label}: {probe.name} {'shown' if shown else 'missing'}")
    assert not wrong, "\n".join(wrong)


def test_post_only_routes_refuse_get(world: dict[str, Any], clients: dict[str | None, Client]) -> None:
    """The routes registered as POST_ONLY take no GET: a GET that started answering would be a read
    the matrix does not check."""
    from egovpm.web.urls import urlpatterns

    fake = {
        "pk": uuid.uuid4(),
        "adjustment_id": uuid.uuid4(),
        "document_id": uuid.uuid4(),
        "system_id": uuid.uuid4(),
        "inspection_id": uuid.uuid4(),
        "item_id": uuid.uuid4(),
        "username": "x",
        "period": "2025-H1",
    }
    wrong = []
    for name in sorted(POST_ONLY):
        pattern = _find(urlpatterns, name)
        kwargs = {k: fake[k] for k in pattern.pattern.converters}
        path = reverse(f"web:{name}", kwargs=kwargs)
        response = clients["ndrc"].get(path)
        if response.status_code != 405:
            wrong.append(f"GET {path} ({name}): {response.status_code}, expected 405")
    assert not wrong, "\n".join(wrong)


def _find(patterns: list[Any], name: str) -> Any:
    for p in patterns:
        if isinstance(p, URLResolver):
            found = _find(p.url_patterns, name)
            if found is not None:
                return found
        elif p.name == name:
            return p
    return None


def test_world_is_what_the_rows_assume(world: dict[str, Any]) -> None:
    """The probes look for records that exist (the approval reference, the conclusion, a report), and
    each side's assigned personas are assigned to that side's projects only."""
    from egovpm.projects.models import Assignment
    from egovpm.reports.models import ReportSubmission

    for side, suffix in (("own", "assigned"), ("other", "other")):
        w = world[side]
        rows = Assignment.objects.filter(project__in=[w.main, w.reviewed])
        names = set(rows.values_list("user__username", flat=True))
        assert {f"{r}_{suffix}" for r in ("expert", "inspector", "archivist")} <= names
        assert not {n for n in names if n.endswith("_assigned" if side == "other" else "_other")}, names
        assert w.main.stage == "construction"
        assert w.main.events.filter(approval_reference=w.approval_reference).exists()
        assert w.review.status == "concluded"
        assert ReportSubmission.objects.filter(project=w.main).exists()


@pytest.mark.parametrize("name", ["budgets_estimate", "security_system_add", "archives_acceptance_add"])
def test_a_refused_form_does_not_show_a_tab_outside_the_read_scope(
    name: str, world: dict[str, Any], clients: dict[str | None, Client]
) -> None:
    """A form posted with bad input redisplays the project page on its tab: for an assigned expert
    that tab (estimate, systems, archives) is outside what they read, so the answer is 404, not the
    tab with the project's records in it."""
    w = world["own"]
    response = clients["expert_assigned"].post(reverse(f"web:{name}", kwargs={"pk": w.main.pk}), {})
    assert response.status_code == 404
    assert w.system.name not in response.content.decode()
