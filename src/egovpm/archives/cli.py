"""`egovpm archive verify PATH` (api.md): re-check an archive transfer package — SHA-256 through
bagit, SM3 with our own code. Exit 0 when intact; 1 with every problem on stderr otherwise."""

from __future__ import annotations

import argparse
import sys

from egovpm.archives.package import bag_verify


def run(args: argparse.Namespace) -> int:
    if getattr(args, "subcommand", "verify") != "verify":
        sys.stderr.write(f"egovpm: unknown archive command {args.subcommand}\n")
        return 2
    report = bag_verify(args.path)
    if report.ok:
        print(f"archive package intact: {report.files} payload files, SHA-256 and SM3 verified ({args.path})")
        return 0
    sys.stderr.write(f"egovpm: archive package FAILED verification ({args.path}):\n")
    for problem in report.problems:
        sys.stderr.write(f"  {problem}\n")
    return 1
