"""`egovpm seed-synthetic` (api.md, Operations): the subcommand's arguments and output. The work is
in ops/synthetic.py, imported only once Django is set up."""

from __future__ import annotations

import argparse
import sys

DEFAULT_SEED = 13  # the portfolio bench/scale.sh measures unless BENCH_SEED says otherwise


def add_parser(sub: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "seed-synthetic",
        help="fill an empty database with a synthetic portfolio (benchmarks, training); deterministic per seed",
    )
    p.add_argument("--projects", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"default {DEFAULT_SEED}")
    p.add_argument("--force", action="store_true", help="add to a database that already holds projects")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the one password of every synthetic user from standard input (default: generate and print it)",
    )


def run(args: argparse.Namespace) -> int:
    if args.projects < 1:
        sys.stderr.write("egovpm: --projects must be at least 1\n")
        return 2
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            sys.stderr.write("egovpm: no password on standard input\n")
            return 2
    from django.db import DatabaseError

    from egovpm.ops.synthetic import SeedRefused, seed

    try:
        summary = seed(projects=args.projects, seed=args.seed, force=args.force, password=password, progress=_progress)
    except SeedRefused as exc:
        sys.stderr.write(f"egovpm: {exc}\n")
        return 2
    except DatabaseError as exc:  # one transaction: rolled back whole
        message = " ".join(str(exc).split())
        sys.stderr.write(f"egovpm: seeding failed, nothing was written (one transaction): {message}\n")
        return 1
    rate = summary.projects / summary.seconds if summary.seconds else 0.0
    rows = sum(summary.counts.values())
    print(f"seeded {summary.projects} projects ({rows} rows) in {summary.seconds:.1f} s, {rate:.0f} projects/s")
    print(", ".join(f"{name} {count}" for name, count in sorted(summary.counts.items())))
    if summary.vacuumed is not None:
        print(f"vacuumed and analysed the {len(summary.counts)} tables written in {summary.vacuumed:.1f} s")
    if summary.password is not None:
        print(f"password of every syn.* user (shown once, not stored): {summary.password}")
    print("stored compliance verdicts are stale after seeding: run `egovpm refresh-compliance --all`")
    return 0


def _progress(done: int, total: int, seconds: float) -> None:
    sys.stderr.write(f"seed-synthetic: {done}/{total} projects ({seconds:.0f} s)\n")
