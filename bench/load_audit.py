"""Audit-write scaling, without the HTTP stack (docs/performance.md). Run under a PostgreSQL:

    scripts/with-postgres.sh .venv/bin/python bench/load_audit.py [--threads 16] [--seconds 10]

Each thread repeats one transaction: `audit_record`, then a pause of --hold ms before COMMIT,
standing for what a real transaction still does after its audit row and for the commit's own
latency (a disk flush, a synchronous standby: 1–5 ms in production). It runs once with one chain
(the first release's design: every writer locks the same head until COMMIT) and once with all
chains, and reports transactions/s and `audit verify`. This isolates the head lock from the CPU
cost of Django and DRF, which bounds the HTTP load test (bench/load.py) on a small machine."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--hold", type=float, default=2.0, help="ms between the audit row and COMMIT")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("load_audit: DATABASE_URL must name a PostgreSQL database (use scripts/with-postgres.sh)")
    os.environ.setdefault("EGOVPM_DEBUG", "1")
    os.environ.setdefault("EGOVPM_VAR_DIR", tempfile.mkdtemp(prefix="egovpm-load-audit."))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from egovpm.audit import services
    from egovpm.audit.models import AUDIT_CHAINS

    call_command("migrate", verbosity=0)

    def run(chains: int) -> float:
        services.AUDIT_CHAINS = chains  # type: ignore[attr-defined]  (1 = the first release's single head)
        services._ensure_heads()
        stop_at = time.monotonic() + args.seconds
        counts = [0] * args.threads
        barrier = threading.Barrier(args.threads)

        def worker(i: int) -> None:
            try:
                barrier.wait()
                while time.monotonic() < stop_at:
                    with transaction.atomic():
                        services.audit_record(
                            actor=None,
                            action="bench.write",
                            object_type="bench",
                            object_id=f"{i}.{counts[i]}",
                            project_id=f"p{i}.{counts[i]}",
                        )
                        time.sleep(args.hold / 1000)
                    counts[i] += 1
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(counts) / (time.monotonic() - started)

    print(f"load_audit: {args.threads} threads, {args.seconds:g} s each, {args.hold:g} ms held before COMMIT")
    for chains in (1, AUDIT_CHAINS):
        rate = run(chains)
        print(f"  {chains:2d} chain(s): {rate:8.1f} audited transactions/s", flush=True)
    services.AUDIT_CHAINS = AUDIT_CHAINS  # type: ignore[attr-defined]
    report = services.audit_chain_report()
    print(f"  audit verify: {'intact' if report.intact else report.problems[:3]} ({report.events} events)")
    return 0 if report.intact else 1


if __name__ == "__main__":
    sys.exit(main())
