"""`egovpm refresh-compliance [--all] [--as-of DATE]`."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import make_project
from egovpm.compliance.models import ProjectVerdict
from test_cli import restore_channel, run  # noqa: F401 — the CLI's autouse channel fixture and runner

from .helpers import full, is_fresh, stored

pytestmark = pytest.mark.django_db


def test_refresh_compliance_refreshes_the_stale_then_nothing(personas: dict[str, Any], capsys: Any) -> None:
    p, q = make_project(personas["staff_a"]), make_project(personas["staff_b"], business_unit="")
    code, out, err = run(capsys, "refresh-compliance")
    assert (code, err) == (0, "")
    assert out.startswith("refreshed 2 verdict(s) as of 2026-11-20") and "projects/s" in out
    assert is_fresh(p) and is_fresh(q) and stored(q) == full(q)
    code, out, _ = run(capsys, "refresh-compliance")
    assert code == 0 and out.startswith("refreshed 0 verdict(s)") and "nothing to do" in out


def test_refresh_compliance_all_and_as_of(personas: dict[str, Any], capsys: Any) -> None:
    p = make_project(personas["staff_a"])
    run(capsys, "refresh-compliance")
    code, out, _ = run(capsys, "refresh-compliance", "--all", "--as-of", "2026-11-19")
    assert code == 0 and "as of 2026-11-19" in out
    assert ProjectVerdict.objects.get(pk=p.pk).evaluated_on.isoformat() == "2026-11-19"


def test_refresh_compliance_bad_date_is_a_usage_error(personas: dict[str, Any], capsys: Any) -> None:
    code, out, err = run(capsys, "refresh-compliance", "--as-of", "yesterday")
    assert code == 2 and out == "" and err.startswith("egovpm: --as-of must be a date") and err.count("\n") == 1


def test_refresh_compliance_workers_need_postgresql_and_a_positive_count(personas: dict[str, Any], capsys: Any) -> None:
    from django.db import connection

    code, _, err = run(capsys, "refresh-compliance", "--workers", "0")
    assert code == 2 and err.startswith("egovpm: --workers")
    if connection.vendor != "postgresql":
        code, _, err = run(capsys, "refresh-compliance", "--workers", "2")
        assert code == 2 and err.startswith("egovpm: --workers")


def test_workers_share_the_projects_in_runs_of_consecutive_keys() -> None:
    """Every project goes to exactly one worker, in key order, the shares as even as can be: each
    worker's batches then span narrow key ranges (the facts queries' plans rely on it)."""
    import uuid

    from egovpm.compliance.cli import shares

    pks = [uuid.UUID(int=(i * 7919) % 10_007) for i in range(1, 2_501)]
    parts = shares(pks, 3)
    assert [len(part) for part in parts] == [834, 834, 832]
    assert [pk for part in parts for pk in part] == sorted(pks, key=str)
    assert shares(pks[:2], 4) == [[pk] for pk in sorted(pks[:2], key=str)]
    assert shares([], 2) == []
