"""Concurrency on PostgreSQL: row locks serialise transitions, code issue and the audit chain.

Threads start together at a barrier; each uses its own database connection and closes it. These
run in the PostgreSQL pass only (SQLite serialises every write and has no row locks to test)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30  # seconds a thread may take before the test calls it hung


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL (run in the PostgreSQL pass)")


def run_together(workers: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run the callables in threads released at once; ("ok", value) or ("error", exception) each."""
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


def _slow_gates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the project's row lock a little longer so the second mover surely waits on it."""
    from egovpm.projects import services

    real = services.gate_results

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "gate_results", slow)


@pytest.mark.parametrize(
    ("upto", "action", "movers"),
    [
        ("draft", "submit_needs_analysis", ("staff_a", "leader_a")),
        ("proposal", "approve_proposal", ("ndrc", "ndrc")),
    ],
)
def test_one_of_two_concurrent_transitions_wins(
    upto: str,
    action: str,
    movers: tuple[str, str],
    project: Any,
    personas: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import advance
    from egovpm.audit.models import AuditEvent
    from egovpm.core.errors import Conflict
    from egovpm.projects.models import Project, StageEvent
    from egovpm.projects.services import project_transition

    project = advance(project, personas, upto)
    events_before = StageEvent.objects.filter(project=project).count()
    audits_before = AuditEvent.objects.filter(action=f"project.transition.{action}").count()
    _slow_gates(monkeypatch)

    def move(who: str) -> Callable[[], Any]:
        return lambda: project_transition(
            actor=personas[who], project_id=project.pk, action=action, approval_reference="发改高技〔2026〕9号"
        )

    outcomes = run_together([move(who) for who in movers])

    wins = [v for kind, v in outcomes if kind == "ok"]
    losses = [v for kind, v in outcomes if kind == "error"]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert isinstance(losses[0], Conflict), repr(losses[0])
    assert losses[0].code == "illegal_transition"
    assert StageEvent.objects.filter(project=project).count() == events_before + 1
    assert StageEvent.objects.filter(project=project, action=action).count() == 1
    assert AuditEvent.objects.filter(action=f"project.transition.{action}").count() == audits_before + 1
    fresh = Project.objects.get(pk=project.pk)
    assert fresh.stage == wins[0].stage
    assert fresh.version == project.version + 1


def test_concurrent_creations_get_distinct_sequential_codes(personas: dict[str, Any]) -> None:
    from conftest import make_project
    from egovpm.projects.models import Project

    n = 10
    creators = ["staff_a", "leader_a"]
    outcomes = run_together(
        [lambda i=i: make_project(personas[creators[i % 2]], name=f"并发项目{i}") for i in range(n)]
    )

    errors = [v for kind, v in outcomes if kind != "ok"]
    assert not errors, errors
    codes = sorted(v.code for _, v in outcomes)
    assert len(set(codes)) == n
    prefixes = {c.rsplit("-", 1)[0] for c in codes}
    assert len(prefixes) == 1, prefixes  # one department, one year, one type
    assert [int(c.rsplit("-", 1)[1]) for c in codes] == list(range(1, n + 1))
    assert Project.objects.filter(lead_department__code="moa").count() == n


def test_concurrent_audit_writes_form_one_chain(personas: dict[str, Any]) -> None:
    from django.db import transaction

    from egovpm.audit.actions import AuditAction
    from egovpm.audit.models import AuditEvent
    from egovpm.audit.services import audit_chain_verify, audit_record

    before = AuditEvent.objects.count()
    threads, per_thread = 8, 5
    actors = list(personas.values())

    def writer(i: int) -> Callable[[], int]:
        def work() -> int:
            for j in range(per_thread):
                with transaction.atomic():  # each event in its own transaction, as services do
                    audit_record(
                        actor=actors[i % len(actors)],
                        action=AuditAction.STORAGE_REPAIR,
                        object_type="test",
                        object_id=f"{i}.{j}",
                    )
            return per_thread

        return work

    outcomes = run_together([writer(i) for i in range(threads)])

    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert AuditEvent.objects.count() == before + threads * per_thread
    # several chains since issue 9 (docs/audit.md): each is numbered without gaps; seq stays unique
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))
    for chain in set(AuditEvent.objects.values_list("chain", flat=True)):
        links = list(AuditEvent.objects.filter(chain=chain).order_by("chain_seq").values_list("chain_seq", flat=True))
        assert links == list(range(1, len(links) + 1))
    assert audit_chain_verify() == []
