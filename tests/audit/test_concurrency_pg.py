"""Concurrent writers on PostgreSQL: many transactions append audit events at once, each chain
stays one unbroken line, and writers no longer queue on a single head row (docs/audit.md)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL (run in the PostgreSQL pass)")


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


def test_sixteen_concurrent_writers_keep_every_chain_intact(tmp_path: Any) -> None:
    from django.db import transaction

    from egovpm.audit import services
    from egovpm.audit.actions import AuditAction
    from egovpm.audit.models import AuditEvent

    threads, per_thread = 16, 10
    cp_before = services.audit_checkpoint()
    overlapped = threading.Event()
    inside = [0]
    guard = threading.Lock()

    def writer(i: int) -> Callable[[], int]:
        def work() -> int:
            for j in range(per_thread):
                with transaction.atomic():  # a service's transaction: the head stays locked until commit
                    services.audit_record(
                        actor=None, action=AuditAction.STORAGE_REPAIR, object_type="test", object_id=f"{i}.{j}"
                    )
                    with guard:
                        inside[0] += 1
                        if inside[0] > 1:
                            overlapped.set()  # two transactions held a head at the same time
                    time.sleep(0.01)
                    with guard:
                        inside[0] -= 1
            return per_thread

        return work

    outcomes = run_together([writer(i) for i in range(threads)])

    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert overlapped.is_set(), "writers were serialised on one head"
    written = AuditEvent.objects.filter(object_type="test")
    assert written.count() == threads * per_thread
    chains = set(written.values_list("chain", flat=True))
    assert len(chains) > 1
    for chain in chains:
        links = list(AuditEvent.objects.filter(chain=chain).order_by("chain_seq").values_list("chain_seq", flat=True))
        assert links == list(range(1, len(links) + 1))
    seqs = list(AuditEvent.objects.values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))
    report = services.audit_chain_report([cp_before, services.audit_checkpoint()])
    assert report.intact, report.problems
