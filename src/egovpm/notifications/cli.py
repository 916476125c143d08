"""The message centre's part of `egovpm remind` (egovpm/cli.py runs it after the reports' e-mail):
reports due in 15/7/1 days or overdue, expert opinions due (reminders.py)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from egovpm.notifications import reminders

    if getattr(args, "dry_run", False):
        return 0
    reports, opinions = reminders.due_notices()
    print(f"notified {reports} report reminder(s) and {opinions} opinion reminder(s) in the message centre")
    for label, fn in reminders.extra_reminders():  # registered by the apps above (inspections)
        print(f"notified {fn()} {label} reminder(s) in the message centre")
    return 0
