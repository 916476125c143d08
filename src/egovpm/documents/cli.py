"""`egovpm storage check [--repair] [--older-than MINUTES]` (api.md, Operations; docs/deployment.md).

Exit status: 0 when the store is clean (or `--repair` removed everything it found); 1 when problems
remain: without `--repair` any problem, with `--repair` rows whose blob is missing (never deleted
automatically — restore the bytes from a backup); 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys


def add_parser(sub: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    st = sub.add_parser("storage", help="the document store").add_subparsers(
        dest="subcommand", required=True, parser_class=parser_class
    )
    check = st.add_parser(
        "check",
        help="report blobs no row points to, stale temporary files and rows whose blob is missing; "
        "exit 1 when problems remain",
    )
    check.add_argument("--repair", action="store_true", help="remove orphan blobs and stale temporary files (audited)")
    check.add_argument(
        "--older-than",
        type=int,
        default=60,
        metavar="MINUTES",
        help="grace period: younger files may belong to an upload in flight (default 60)",
    )


def run(args: argparse.Namespace) -> int:
    from egovpm.documents import maintenance, storage  # after django.setup()

    if args.older_than < 1:
        sys.stderr.write("egovpm: --older-than must be at least 1 minute\n")
        return 2
    finding = maintenance.check(grace=dt.timedelta(minutes=args.older_than))
    print(f"storage: {storage.backend_name()}, {finding.blobs} blobs")
    for blob in finding.orphans:
        print(f"orphan blob {blob.sha256} ({blob.size} bytes, stored {blob.modified.isoformat(timespec='seconds')})")
    for path in finding.stale_temporary:
        print(f"stale temporary file {path}")
    for kind, pk, sha in finding.missing:
        print(f"MISSING blob {sha} of {kind} {pk}: restore it from a backup")
    if finding.young_unreferenced:
        print(f"{finding.young_unreferenced} unreferenced blob(s) younger than {args.older_than} min left alone")
    if args.repair and (finding.orphans or finding.stale_temporary):
        summary = maintenance.repair(finding)
        print(
            f"repaired: {summary['orphan_blobs_removed']} orphan blob(s) and "
            f"{summary['temporary_files_removed']} temporary file(s) removed, {summary['bytes_freed']} bytes freed"
        )
        remaining = len(finding.missing)
    else:
        remaining = finding.problems
    if remaining:
        fixable = not args.repair and (finding.orphans or finding.stale_temporary)
        hint = "; --repair removes the orphans and temporary files" if fixable else ""
        print(f"{remaining} problem(s) remain{hint}")
        return 1
    print("storage is consistent")
    return 0
