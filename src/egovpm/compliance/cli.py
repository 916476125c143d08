"""`egovpm refresh-compliance [--all] [--as-of DATE]` (ADR 0013; docs/operations.md).

Refreshes the stored verdicts that are stale (changed records, a date a verdict held until has
passed, a new pack, a project without a row); with --all every project. Run it just after Beijing
midnight (00:05 Asia/Shanghai) so that the first reader of the day finds everything fresh.
Exit status 0; 2 on a usage error."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time


def add_parser(sub: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "refresh-compliance", help="re-evaluate the stale stored compliance verdicts (--all: every project)"
    )
    p.add_argument("--all", action="store_true", help="every project, stale or not")
    p.add_argument("--as-of", metavar="DATE", help="the Beijing date judged (YYYY-MM-DD; default today)")


def run(args: argparse.Namespace) -> int:
    from egovpm.compliance import selectors, services  # after django.setup()
    from egovpm.core import clock

    as_of = clock.today()
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            sys.stderr.write(f"egovpm: --as-of must be a date YYYY-MM-DD, not {args.as_of!r}\n")
            return 2
    started = time.monotonic()
    if args.all:
        written = services.refresh(as_of=as_of)
    else:
        stale = selectors.stale_ids()
        written = services.refresh(project_ids=stale, as_of=as_of) if stale else 0
    elapsed = time.monotonic() - started
    rate = f"{written / elapsed:,.0f} projects/s" if written and elapsed > 0 else "nothing to do"
    print(f"refreshed {written} verdict(s) as of {as_of.isoformat()} in {elapsed:.1f} s ({rate})")
    return 0
