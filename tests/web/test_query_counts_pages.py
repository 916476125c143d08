"""Every UI page has a pinned query count that does not grow with the portfolio (issue 10 item 6,
issue 13 item 5) — measured over the routes of the UI permission matrix (ui_routes.READS), so that
a new page cannot be added without a pin.

The world is the matrix's (two projects per side with a report, systems, an estimate and a concluded
review). Each page is read by every persona it answers 200 to among PERSONAS, once after the
portfolio grew by SMALL projects and again after it grew to GROWTH projects in construction (each with an adjustment
request, an archivist and an expert assigned — rows of the project list, the budgets queue, the
reports, the archives, 已办 …), as many more user accounts (the administrators' lists) and as many
messages to each persona (the message centre). The two counts must be equal and at most the pin.
The per-project pages whose own rows grow (a tab's documents, assignments …) are pinned row by row
in test_query_counts.py (test_project_page_query_budget_per_tab)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egovpm.web.inbox import computed_afresh

from .test_query_counts import Portfolio
from .test_ui_matrix import _build
from .ui_routes import READS, Read, expected

pytestmark = pytest.mark.django_db

SMALL, GROWTH = 2, 10
PERSONAS = (
    "staff_a",
    "ndrc",
    "mof",
    "expert_assigned",
    "archivist_assigned",
    "inspector_assigned",
    "sys_admin",
    "sec_admin",
    "audit_admin",
)

# route id -> the most queries any persona's GET may cost, whatever the size of the portfolio,
# computed afresh: a page kept under the records' stamp (ADR 0020) reads the stamp once more.
PINS: dict[str, int] = {
    # computed afresh (web.inbox.computed_afresh): the records' stamp for the kept page, then NDRC's
    # kept lists computed (stage actions, reviews to conclude, queues, obligations, risk todo)
    "inbox": 21,
    # an assigned archivist or inspector: the readable check (summary scope ≠ view scope); the
    # records' stamp of the kept page (ADR 0020)
    "project_list": 10,
    "project_create": 4,
    "project_detail": 33,
    "project_edit": 6,
    "tab:info": 33,
    "tab:documents": 33,
    "tab:reviews": 45,
    "tab:compliance": 32,
    "tab:assignments": 33,
    "tab:budgets": 47,
    "tab:reports": 34,
    "tab:security": 35,
    "tab:archives": 37,
    "tab:procurement": 38,
    "tab:inspections": 34,
    "tab:evaluations": 36,
    "people_search": 5,
    "people_choices": 5,
    "audit": 6,
    "audit_export": 3,
    "admin_users": 6,
    "admin_user_add": 3,
    "admin_user_edit": 5,
    "admin_departments": 4,
    "admin_department_edit": 3,
    "admin_roles": 7,
    "admin_user_roles": 4,
    "admin_locked": 3,
    "admin_policy": 2,
    "admin_audit_home": 2,
    "password_change": 3,
    "budgets_import_template": 7,
    "procurement_template": 3,
    "report_home": 8,
    "report_portfolio_export": 8,
    "cockpit": 6,  # the records' stamp of the kept figures and of the summary: one each
    "department_record": 17,  # the records' stamp of the kept page and of the record: one each
    "project_export": 6,
    "report_detail": 8,
    "report_pdf_document": 5,
    "review_list": 7,
    "review_pool": 8,
    "review_detail": 12,
    "review_document": 6,
    "review_attachment": 6,
    "security_system_edit": 5,
    "archives": 10,
    "inspections": 6,
    "evaluation_templates": 5,
    "evaluation_template": 5,
    "notification_preferences": 4,
    "done": 6,
    "project_chase": 7,
    "budgets_queue": 9,
    "messages": 5,
}


@pytest.fixture(scope="module")
def grown(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    """{(route id, persona): (queries before, queries after the growth)} for every page."""
    from django.conf import settings
    from django.db import transaction

    from conftest import NOW, _ensure_people
    from egovpm.core import clock

    old_media, old_hosts = settings.MEDIA_ROOT, settings.ALLOWED_HOSTS
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("page-pins-media")
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    clock.set_now(NOW)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            _departments, personas = _ensure_people()
            world = _build(personas)
            clients = {}
            for persona in PERSONAS:
                clients[persona] = Client()
                clients[persona].force_login(personas[persona])
            counts: dict[tuple[str, str], list[int]] = {}
            # every path first: building one may add a record another page lists (a template)
            paths = {route.id: route.path(world["own"]) for route in READS}
            for grow in (SMALL, GROWTH - SMALL):  # rows in every section first: 0 rows may skip a query
                _grow(personas, grow)
                for route in READS:
                    path = paths[route.id]
                    for persona in _readers(route):
                        client = clients[persona]
                        client.get(path)  # warm-up: per-process caches, the new projects' stored verdicts
                        # computed afresh: what a page kept under the records' stamp costs when a
                        # record has changed (web.inbox.kept, ADR 0020)
                        with computed_afresh(), CaptureQueriesContext(connection) as ctx:
                            response = client.get(path)
                        # who may read which page is the UI matrix's to assert (test_ui_matrix.py)
                        if response.status_code == 200:
                            counts.setdefault((route.id, persona), []).append(len(ctx.captured_queries))
            yield counts
            transaction.set_rollback(True)
    finally:
        clock.set_now(None)
        settings.MEDIA_ROOT, settings.ALLOWED_HOSTS = old_media, old_hosts


def _readers(route: Read) -> list[str]:
    return [p for p in PERSONAS if expected(route.expect, p, "own") == 200]


class Grown(Portfolio):
    """Portfolio's projects; in this world the advance's expert panel may already have assigned the
    matrix's expert (they are in the pool), which is the same row."""

    def grow(self, n: int) -> None:
        import contextlib

        from conftest import advance, make_project
        from egovpm.core.errors import Conflict
        from egovpm.projects.services import assignment_add

        for _ in range(n):
            p = make_project(
                self.personas["staff_a"], name=f"项目{len(self.projects)}", participating_departments=["prov"]
            )
            p = advance(p, self.personas, "construction")
            for persona, task in (("expert_assigned", "expert"), ("archivist_assigned", "archivist")):
                with contextlib.suppress(Conflict):  # already on the project's panel
                    assignment_add(actor=self.personas["ndrc"], project_id=p.pk, username=persona, task=task)
            self._adjustment(p)
            self.projects.append(p)


def _grow(personas: dict[str, Any], n: int) -> None:
    from conftest import PASSWORD
    from egovpm.accounts.models import Department, User
    from egovpm.notifications.services import notify

    Grown(personas).grow(n)
    moa = Department.objects.get(code="moa")
    start = User.objects.filter(username__startswith="grown.").count()
    for i in range(start, start + n):
        User.objects.create_user(username=f"grown.user{i}", password=PASSWORD, department=moa, display_name=f"新增{i}")
    recipients = [personas[p] for p in PERSONAS]
    for i in range(n):
        notify(recipients, "chase", f"催办{i}", "请办理", link="/")


def test_every_page_is_pinned() -> None:
    """A page without a pin fails here: add it to PINS with the count this file measures."""
    pages = {r.id for r in READS if _readers(r)}
    assert sorted(pages - set(PINS)) == [], "UI pages without a query pin"
    assert sorted(set(PINS) - pages) == [], "pins of pages that no longer exist (or no persona reads)"


@pytest.mark.parametrize("route", [r for r in READS if _readers(r)], ids=lambda r: r.id)
def test_page_query_count_does_not_grow(route: Read, grown: dict[tuple[str, str], list[int]]) -> None:
    measured = {p: grown[(route.id, p)] for p in _readers(route) if (route.id, p) in grown}
    assert measured, f"{route.id}: no persona of {PERSONAS} could read it"
    grew = {p: c for p, c in measured.items() if len(c) != 2 or c[0] != c[1]}
    assert not grew, f"{route.id}: queries at {SMALL} and at {GROWTH} more projects, users and messages: {grew}"
    most = max(c[0] for c in measured.values())
    assert most <= PINS.get(route.id, 0), f"{route.id}: {most} queries ({measured}), pinned {PINS.get(route.id)}"
