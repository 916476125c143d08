"""Concurrency on PostgreSQL (domain.md §5): many simultaneous decisions of self-approval requests
that each qualify alone but together exceed 15 % — exactly the allowed ones pass, every run.

Each decision locks the project's Estimate row and recomputes the route after the lock, so the
decisions serialise and the later ones see the earlier approvals; those that no longer qualify are
re-routed to NDRC (409) and change nothing. Threads start together at a barrier, each with its own
database connection, which it closes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection

from .conftest import B, put_estimate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60
WORKERS = 8
# ten lines of 100 000.00 (B = 1 000 000.00); each request cuts 50 000.00 (5 %) from its own line,
# so no request is stale and exactly three fit under the 15 % line (3 × 5 % = 15 %, inclusive).
TEN_LINES = [(f"{i:02d}", f"单项工程{i}", "100000.00") for i in range(1, 11)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL (run in the PostgreSQL pass)")


def in_construction(project: Any, personas: dict[str, Any]) -> Any:
    """The project in construction with TEN_LINES as its baseline. The stage is set directly: the
    lifecycle is tested elsewhere, and transactional tests flush other apps' migration data that
    their evidence hooks rely on (tests/budgets/test_adjustments.py walks the real transitions)."""
    import datetime as dt
    from types import SimpleNamespace

    from django.db import transaction

    from egovpm.budgets.services import baseline_on_approval
    from egovpm.projects.models import Project

    put_estimate(project, personas["staff_a"], TEN_LINES)
    Project.objects.filter(pk=project.pk).update(stage="construction")
    project.refresh_from_db()
    event = SimpleNamespace(
        action="approve_preliminary_design", effective_date=dt.date(2024, 6, 1), approval_reference=""
    )
    with transaction.atomic():  # the hook runs inside the transition's transaction
        baseline_on_approval(project, event, personas["ndrc"])  # type: ignore[arg-type]
    return project


def run_together(workers: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    barrier = threading.Barrier(len(workers))
    outcomes: list[tuple[str, Any]] = [("missing", None)] * len(workers)

    def target(i: int, work: Callable[[], Any]) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=TIMEOUT)
            outcomes[i] = ("ok", work())
        except Exception as exc:  # the outcome is what the test checks
            outcomes[i] = ("error", exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=target, args=(i, w), daemon=True) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a worker thread hung (a lock that is never released?)"
    return outcomes


@pytest.mark.parametrize("run", range(3))
def test_concurrent_self_approvals_never_pass_15_percent_together(
    run: int, project: Any, personas: dict[str, Any]
) -> None:
    from egovpm.budgets.models import Adjustment, Estimate, EstimateLine
    from egovpm.budgets.services import adjustment_decide
    from egovpm.core.errors import Conflict

    from .conftest import request

    p = in_construction(project, personas)
    requests = [request(personas["staff_a"], p, {f"{i:02d}": "50000.00"}) for i in range(1, WORKERS + 1)]
    assert all(r.route == "self_approval" and r.ratio == "0.05" for r in requests)
    leader = personas["leader_a"]

    def decide(adjustment_id: Any) -> Callable[[], Any]:
        return lambda: adjustment_decide(actor=leader, adjustment_id=adjustment_id, decision="approve")

    outcomes = run_together([decide(r.pk) for r in requests])
    passed = [o for o in outcomes if o[0] == "ok"]
    refused = [o[1] for o in outcomes if o[0] == "error"]
    assert len(passed) == 3, outcomes
    assert len(refused) == WORKERS - 3
    assert all(isinstance(e, Conflict) and e.code == "rerouted" for e in refused), refused

    rows = Adjustment.objects.filter(project=p)
    assert rows.filter(status="approved", route="self_approval").count() == 3
    assert rows.filter(status="pending", route="ndrc_approval").count() == WORKERS - 3
    lines = EstimateLine.objects.filter(estimate__project=p)
    assert sum(li.amount for li in lines) == B - D("150000.00")
    assert sum(1 for li in lines if li.amount == D("50000.00")) == 3  # the refused changed nothing
    approved = rows.filter(status="approved").order_by("decided_at")
    # each approval counted the ones before it: 5 %, 10 %, 15 %
    assert [a.cumulative_ratio for a in approved] == ["0.05", "0.1", "0.15"]
    assert Estimate.objects.get(project=p).version == 3
