"""`egovpm refresh-compliance [--all] [--as-of DATE]` (ADR 0013; docs/operations.md).

Refreshes the stored verdicts that are stale (changed records, a date a verdict held until has
passed, a new pack, a project without a row); with --all every project. Run it just after Beijing
midnight (00:05 Asia/Shanghai) so that the first reader of the day finds everything fresh.
Exit status 0; 2 on a usage error."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from typing import Any


def add_parser(sub: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "refresh-compliance", help="re-evaluate the stale stored compliance verdicts (--all: every project)"
    )
    p.add_argument("--all", action="store_true", help="every project, stale or not")
    p.add_argument("--as-of", metavar="DATE", help="the Beijing date judged (YYYY-MM-DD; default today)")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes refreshing in parallel (PostgreSQL only; default: the CPU count for --all, else 1)",
    )


def _worker(pks: list[Any], as_of: dt.date) -> int:
    from django.db import connections

    from egovpm.compliance import services

    connections.close_all()  # never the parent's connection: each process opens its own
    try:
        return services.refresh(project_ids=pks, as_of=as_of)
    finally:
        connections.close_all()


def shares(pks: list[Any], workers: int) -> list[list[Any]]:
    """The projects split among `workers`: runs of consecutive keys in the order `services.refresh`
    batches in, as even as can be, so that each batch's projects lie in a narrow key range (what
    the facts queries tell the planner: `projects.facts.AnyOf`)."""
    ordered = sorted(pks, key=str)
    size = -(-len(ordered) // workers) if ordered else 1
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _parallel(pks: list[Any], as_of: dt.date, workers: int) -> int:
    """Refresh the projects in `workers` forked processes, a share each (in batches)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.starmap(_worker, [(share, as_of) for share in shares(pks, workers)]))


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    from egovpm.compliance import selectors, services  # after django.setup()
    from egovpm.compliance.models import ProjectVerdict
    from egovpm.core import clock
    from egovpm.projects.models import Project

    as_of = clock.today()
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            sys.stderr.write(f"egovpm: --as-of must be a date YYYY-MM-DD, not {args.as_of!r}\n")
            return 2
    if args.workers is None:  # --all on PostgreSQL: one process a CPU (the database answers in parallel)
        args.workers = (os.cpu_count() or 1) if args.all and connection.vendor == "postgresql" else 1
    if args.workers < 1 or (args.workers > 1 and connection.vendor != "postgresql"):
        sys.stderr.write("egovpm: --workers must be 1 (or more on PostgreSQL)\n")
        return 2
    started = time.monotonic()
    # --all: every project (a missing row is made by the refresh); else the stale ones
    pks = list(Project.objects.values_list("pk", flat=True)) if args.all else selectors.stale_ids()
    if args.workers > 1 and len(pks) > services.BATCH_SIZE:
        written = _parallel(pks, as_of, args.workers)
    else:
        written = services.refresh(project_ids=pks, as_of=as_of) if pks else 0
    if written > services.BATCH_SIZE and connection.vendor == "postgresql":
        # fresh statistics, so the staleness query keeps using its indexes (not a scan) right away
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(ProjectVerdict._meta.db_table)}")
    elapsed = time.monotonic() - started
    rate = f"{written / elapsed:,.0f} projects/s" if written and elapsed > 0 else "nothing to do"
    print(f"refreshed {written} verdict(s) as of {as_of.isoformat()} in {elapsed:.1f} s ({rate})")
    return 0
