"""Query budgets of the UI pages (issue 10 item 6): every list page and the project page on each
tab answers in a number of queries that does not grow with its rows — measured with SMALL rows and
again with LARGE rows, the counts must be equal, and at most the pinned number (a change that adds
a query per page re-pins it consciously). The API lists are pinned in tests/api/test_query_counts.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD, make_project
from egovpm.web.inbox import computed_afresh

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 20


def _client(persona: Any) -> Client:
    c = Client()
    assert c.login(username=persona.username, password=PASSWORD)
    return c


def _count(client: Client, path: str) -> tuple[int, list[str]]:
    # computed afresh: not what a page kept under the records' stamp costs when read again (ADR 0020)
    with computed_afresh(), CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def measure(client: Client, path: str | Callable[[], str], grow: Callable[[int], None]) -> tuple[int, int]:
    """Queries for the page with SMALL rows, then with LARGE rows (grow(n) adds n rows)."""
    url = path if callable(path) else (lambda: path)
    grow(SMALL)
    client.get(url())  # warm-up: per-process caches (content types, rule packs) are not what we pin
    small, _ = _count(client, url())
    grow(LARGE - SMALL)
    large, sql = _count(client, url())
    assert small == large, f"{url()}: {small} queries at {SMALL} rows, {large} at {LARGE}:\n" + "\n".join(sql)
    return small, large


class Portfolio:
    """Projects of moa (prov participating) in construction, each with the expert and the archivist
    assigned and a pending adjustment request, grown on demand."""

    def __init__(self, personas: dict[str, Any]) -> None:
        self.personas = personas
        self.projects: list[Any] = []

    def grow(self, n: int) -> None:
        from conftest import advance
        from egovpm.projects.services import assignment_add

        for _ in range(n):
            p = make_project(
                self.personas["staff_a"], name=f"项目{len(self.projects)}", participating_departments=["prov"]
            )
            p = advance(p, self.personas, "construction")
            for persona, task in (("expert_assigned", "expert"), ("archivist_assigned", "archivist")):
                assignment_add(actor=self.personas["ndrc"], project_id=p.pk, username=persona, task=task)
            self._adjustment(p)
            self.projects.append(p)

    def _adjustment(self, project: Any) -> None:
        """A pending adjustment request (a row of the budgets queue): 1 % moved between two lines."""
        from decimal import Decimal

        from egovpm.budgets.models import EstimateLine
        from egovpm.budgets.services import LineIn, adjustment_create

        first, second = EstimateLine.objects.filter(estimate__project=project).order_by("code")[:2]
        step = (first.amount / 100).quantize(Decimal("0.01"))
        adjustment_create(
            actor=self.personas["staff_a"],
            project_id=project.pk,
            items=[LineIn(first.code, "", first.amount - step), LineIn(second.code, "", second.amount + step)],
            goals_unchanged=True,
            reason="optimization",
            description="优化技术方案，调整单项工程投资",
        )


# (persona, route): the pinned number of queries of the list page, whatever its number of rows,
# computed afresh (tests/conftest.py computed_afresh): a kept page reads the records' stamp once
# more (ADR 0020) and 待办 computes its kept lists.
LISTS = {
    # an assigned expert's project list: the summary scope, no compliance badges
    ("expert_assigned", "project_list"): 8,
    # the badges read the stored verdicts (ADR 0013): which are stale (1, whatever the scope), the rows
    ("staff_a", "project_list"): 9,
    ("ndrc", "project_list"): 9,
    ("audit_admin", "audit"): 6,
    # a page of 20 reviews under its exact count (issue 13)
    ("staff_a", "review_list"): 7,
    ("ndrc", "review_list"): 7,
    # + the departments of the lead-department filter; each section is paged on its own (issue 13):
    # its page with its exact count beside the rows (one query, core.bounded)
    ("staff_a", "budgets_queue"): 9,
    ("ndrc", "budgets_queue"): 8,
    # the stored obligations (issue 13): which verdicts are stale (1), then the rows; the staff page
    # is one page of its department's rows (with their projects), their count and the page's records (1)
    ("staff_a", "report_home"): 8,
    ("ndrc", "report_home"): 7,
    # reports: which verdicts are stale (1), the 20 most urgent rows and their count
    ("staff_a", "inbox"): 18,
    ("ndrc", "inbox"): 21,  # + the projects in operation whose post-evaluation NDRC is to organise
    ("staff_a", "archives"): 10,
    ("archivist_assigned", "archives"): 10,
}


# Pages that list every project of the portfolio (a reviews row, an adjustment request …), so that
# "the same count at 2 rows as at 20" is measured over rows that are really there.
ROWS_SHOWN = {
    ("expert_assigned", "project_list"),
    ("staff_a", "project_list"),
    ("staff_a", "review_list"),
    ("ndrc", "review_list"),
    ("staff_a", "budgets_queue"),
    ("staff_a", "report_home"),
    ("staff_a", "archives"),
    ("archivist_assigned", "archives"),
}


def test_list_pages_query_budgets(personas: dict[str, Any]) -> None:
    """Every list page, SMALL then LARGE projects in construction: the same count, within the pin."""
    from django.urls import reverse

    world = Portfolio(personas)
    clients = {persona: _client(personas[persona]) for persona, _ in LISTS}
    counts: dict[tuple[str, str], list[int]] = {key: [] for key in LISTS}
    shown: dict[tuple[str, str], int] = {}
    for n in (SMALL, LARGE - SMALL):
        world.grow(n)
        for (persona, route), client in ((k, clients[k[0]]) for k in LISTS):
            path = reverse(f"web:{route}")
            client.get(path)  # warm-up: per-process caches (content types, rule packs)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            assert response.status_code == 200, (persona, route, response.status_code)
            counts[(persona, route)].append(len(ctx.captured_queries))
            shown[(persona, route)] = sum(p.code in response.content.decode() for p in world.projects)
    assert all(shown[k] == len(world.projects) for k in ROWS_SHOWN), sorted(shown.items())
    wrong = [
        f"{k}: {small} at {SMALL} rows, {large} at {LARGE}" for k, (small, large) in counts.items() if small != large
    ]
    wrong += [f"{k}: {c[0]} queries, pinned {LISTS[k]}" for k, c in counts.items() if c[0] > LISTS[k]]
    assert not wrong, "\n".join(wrong)


class Files:
    """One project in construction whose records grow: a document and an inspector assignment per row."""

    def __init__(self, personas: dict[str, Any], settings: Any) -> None:
        from conftest import advance

        self.personas = personas
        self.settings = settings
        self.project = advance(
            make_project(personas["staff_a"], participating_departments=["prov"]), personas, "construction"
        )
        self.i = 0

    def grow(self, n: int) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from egovpm.accounts.services import user_add
        from egovpm.documents.services import document_upload
        from egovpm.projects.services import assignment_add

        for _ in range(n):
            i = self.i
            self.i += 1
            document_upload(
                actor=self.personas["staff_a"],
                project_id=self.project.pk,
                file=SimpleUploadedFile(f"d{i}.pdf", f"%PDF {i}".encode(), content_type="application/pdf"),
                stage="construction",
                category="other",
                title=f"材料{i}",
                max_bytes=self.settings.EGOVPM_MAX_UPLOAD_BYTES,
            )
            user_add(actor=None, username=f"insp{i}", department_code="agency", roles=["inspector"], password=PASSWORD)
            assignment_add(
                actor=self.personas["ndrc"], project_id=self.project.pk, username=f"insp{i}", task="inspector"
            )


# The project page on each tab (the lead department's staff), measured 2026-11-30 on SQLite, the
# page seen once before (issue 13): the frame costs 11 (session, user, roles, the project, the read
# scope, the stage events, the compliance generation under which the project's facts are kept for
# the stage gates and the tabs' compliance checks — projects.facts.project_facts, read once a
# page —, the unread messages, who the project waits for). The first page after a change of the
# project's records gathers its facts once more (≈ 20 queries, flat in rows too). Measured computed
# afresh since the tab is kept under the records' stamp (ADR 0020): one more, the stamp.
TABS = {
    "info": 12,
    "compliance": 11,
    "documents": 12,
    "assignments": 12,
    "budgets": 21,
    "reports": 13,
    "reviews": 16,
    "security": 14,
    "archives": 15,
    "procurement": 17,  # the frame, the register, totals, shares, modes, evidence
    "evaluations": 15,
    "inspections": 13,  # the inspections with findings, items, events
}


def test_project_page_query_budget_per_tab(personas: dict[str, Any], settings: Any) -> None:
    from egovpm.web.registry import TABS as REGISTERED

    assert set(REGISTERED) == set(TABS), "a tab without a query budget"
    world = Files(personas, settings)
    client = _client(personas["staff_a"])
    counts: dict[str, list[int]] = {key: [] for key in TABS}
    for n in (SMALL, LARGE - SMALL):
        world.grow(n)
        for key in TABS:
            path = REGISTERED[key].url(world.project)
            client.get(path)
            counts[key].append(_count(client, path)[0])
    wrong = [
        f"{k}: {small} at {SMALL} rows, {large} at {LARGE}" for k, (small, large) in counts.items() if small != large
    ]
    wrong += [f"{k}: {c[0]} queries, pinned {TABS[k]}" for k, c in counts.items() if c[0] > TABS[k]]
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- reports (H5, issue 13)


def test_report_drill_down_and_inbox_acknowledgements_query_budgets(personas: dict[str, Any]) -> None:
    """The portfolio page drilled down to a department (one page of its obligations with their
    records), and NDRC's 待办 with submitted reports to acknowledge: the same count at 2 projects as
    at 20 (each read after a warm-up that refreshes the new projects' stored verdicts), within the
    pin."""
    from django.urls import reverse

    from egovpm.reports.services import report_submit

    sections = {k: "按计划推进。" for k in ("progress", "content", "tendering", "budget_execution", "problems")}
    world = Portfolio(personas)
    # computed afresh (ADR 0020): the kept 待办 lists and the stamp of the kept page included
    pages = {"drill": (reverse("web:report_home") + "?department=moa", 11), "inbox": (reverse("web:inbox"), 21)}
    client = _client(personas["ndrc"])
    counts: dict[str, list[int]] = {k: [] for k in pages}
    for n in (SMALL, LARGE - SMALL):
        before = len(world.projects)
        world.grow(n)
        for p in world.projects[before:]:
            report_submit(actor=personas["staff_a"], project_id=p.pk, period="2025-H1", sections=sections)
        for key, (path, _pin) in pages.items():
            client.get(path)  # warm-up: the new projects' verdicts (and obligations) are refreshed
            counts[key].append(_count(client, path)[0])
    assert all(c[0] == c[1] for c in counts.values()), counts
    assert all(counts[k][0] <= pin for k, (_path, pin) in pages.items()), counts
    page = client.get(pages["inbox"][0]).content.decode()
    assert page.count("/reports/2025-H1/") == LARGE  # every submitted report, once


def test_inbox_sections_bounded_with_the_rest_counted(personas: dict[str, Any], monkeypatch: Any) -> None:
    """Issue 13 (R2-B): each 待办 provider shows its INBOX_LIMIT most urgent items and one "…and N
    more" line; the header counts them all; the queries are the same at 3 waiting as at 6. Here the
    limit is 2 and the leader of moa decides a self-approval request per project."""
    import re

    from django.urls import reverse

    from egovpm.archives import views as archives_views
    from egovpm.budgets import views as budgets_views
    from egovpm.projects import selectors as project_selectors
    from egovpm.reviews import views as reviews_views
    from egovpm.security import views as security_views

    for module in (budgets_views, reviews_views, archives_views, security_views, project_selectors):
        monkeypatch.setattr(module, "INBOX_LIMIT", 2)
    world = Portfolio(personas)
    client = _client(personas["leader_a"])
    path = reverse("web:inbox")
    counts, bodies = [], []
    for n in (3, 3):
        world.grow(n)
        client.get(path)  # warm-up: the new projects' stored verdicts
        count, _sql = _count(client, path)
        counts.append(count)
        bodies.append(client.get(path).content.decode())
    assert counts[0] == counts[1], counts
    for waiting, body in zip((3, 6), bodies, strict=True):
        assert body.count("号概算调整申请（部门自行审批）") == 2
        assert f"另有 {waiting - 2} 项概算调整申请待审批" in body
        assert f'href="{reverse("web:budgets_queue")}"' in body
        header = re.search(r'<span class="count">(\d+)</span>', body)
        assert header is not None and int(header.group(1)) >= waiting


# ---------------------------------------------------------------- hand-offs and messages (issue 15)

# computed afresh (ADR 0020): the kept 待办 lists and the stamp of the kept page included
HANDOFF_PAGES = {("ndrc", "inbox"): 20, ("staff_a", "messages"): 5, ("staff_a", "done"): 6}


def test_handoff_and_message_pages_query_budgets(personas: dict[str, Any]) -> None:
    """NDRC's 待办 with projects waiting for a panel (the 组织专家组 items), a message centre and 已办
    with rows: the same number of queries at 20 and at 22 rows (a full 待办 list, whose total is
    counted), at most the pinned number."""
    from conftest import ready_for
    from egovpm.notifications.services import notify
    from egovpm.projects.services import project_transition

    def grow(n: int) -> None:
        for _ in range(n):
            p = make_project(personas["staff_a"], name="待组织专家组项目")
            ready_for(p, "submit_needs_analysis")
            project_transition(actor=personas["staff_a"], project_id=p.pk, action="submit_needs_analysis")
            notify([personas["staff_a"]], "chase", "催办", "请办理", link=f"/projects/{p.pk}/", project_id=p.pk)

    from django.urls import reverse

    counts: dict[tuple[str, str], list[int]] = {key: [] for key in HANDOFF_PAGES}
    for n in (LARGE, SMALL):
        grow(n)
        for persona, route in HANDOFF_PAGES:
            client = _client(personas[persona])
            client.get(reverse(f"web:{route}"))  # warm-up: the stored verdicts of new projects are computed once
            counts[(persona, route)].append(_count(client, reverse(f"web:{route}"))[0])
    body = _client(personas["ndrc"]).get(reverse("web:inbox")).content.decode()
    assert body.count("组织专家组评议需求分析报告") == LARGE  # the 20 longest waiting, then "…and 2 more"
    assert "另有 2 个项目等待组织专家组" in body
    assert all(c[0] == c[1] <= HANDOFF_PAGES[k] for k, c in counts.items()), counts
