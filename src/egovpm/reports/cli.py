"""`egovpm remind [--days N] [--dry-run]` (parsed in egovpm/cli.py): mail each department its
overdue report obligations and those due within N days, once per obligation and threshold.
Schedule it daily (docs/reports.md shows a cron line and a systemd timer)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from egovpm.reports import services  # after egovpm.cli set Django up (and the audit channel "cli")

    days = int(getattr(args, "days", 14))
    dry_run = bool(getattr(args, "dry_run", False))
    mails = services.reminders_send(days=days, dry_run=dry_run)
    verb = "would send" if dry_run else "sent"
    for m in mails:
        items = ", ".join(f"{code} {period} ({threshold})" for code, period, threshold in m.items)
        print(f"{verb} to {m.department} ({', '.join(m.recipients)}): {items}")
    obligations = sum(len(m.items) for m in mails)
    print(
        f"{verb} {len(mails)} reminder(s) about {obligations} obligation(s)"
        + (" — dry run, nothing recorded" if dry_run else "")
    )
    return 0
