"""`egovpm audit verify [--checkpoint FILE]` and `egovpm audit checkpoint [--append FILE]`."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any


def _read_checkpoints(path: str, error: type[Exception]) -> list[dict[str, Any]]:
    from egovpm.audit.services import checkpoint_parse

    try:
        with open(path, encoding="utf-8") as f:
            checkpoints = checkpoint_parse(f)
    except OSError as exc:
        raise error(f"cannot read the checkpoint file {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise error(f"{path}: {exc}") from None
    if not checkpoints:
        raise error(f"{path} holds no checkpoint")
    return checkpoints


def run(args: argparse.Namespace, error: type[Exception]) -> int:
    from egovpm.audit.services import audit_chain_report, audit_checkpoint

    if args.subcommand == "checkpoint":
        line = json.dumps(audit_checkpoint(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if args.append:
            # append-only by intent: O_APPEND, never truncated; created readable by its owner only
            try:
                fd = os.open(args.append, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            except OSError as exc:
                raise error(f"cannot open {args.append} for appending: {exc.strerror}") from None
            with os.fdopen(fd, "a", encoding="utf-8") as f:
                f.write(line + "\n")
                f.flush()
                os.fsync(f.fileno())
        print(line)
        return 0

    checkpoints = _read_checkpoints(args.checkpoint, error) if args.checkpoint else None
    report = audit_chain_report(checkpoints)
    if not report.intact:
        shown = "; ".join(problem for _seq, problem in report.problems[:20])
        more = f" (and {len(report.problems) - 20} more)" if len(report.problems) > 20 else ""
        raise error(f"audit chain broken: {shown}{more}")
    summary = f"audit chain intact: {report.events} events in {report.chains} chains"
    if checkpoints:
        latest = checkpoints[-1]["at"]
        summary += f"; holds all {report.checkpoints} checkpoint(s) of {args.checkpoint} (latest {latest})"
    print(summary)
    return 0
