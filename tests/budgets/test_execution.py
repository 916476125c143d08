"""budget_execution (the source of the reports' budget-execution section): amounts, spending as of
a date, rates quantized to 0.0001 and None when nothing is approved on a line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from conftest import NOW

pytestmark = pytest.mark.django_db


def _approved_estimate(project: Any, actor: Any, lines: dict[str, str]) -> Any:
    from egovpm.budgets.models import Baseline, BaselineLine, Estimate, EstimateLine

    total = sum(D(v) for v in lines.values())
    estimate = Estimate.objects.create(project=project, total=total, created_at=NOW, updated_at=NOW, updated_by=actor)
    baseline = Baseline.objects.create(
        project=project,
        seq=1,
        total=total,
        approved_on=dt.date(2026, 1, 5),
        source="preliminary_design",
        created_at=NOW,
        created_by=actor,
    )
    for i, (code, amount) in enumerate(lines.items()):
        EstimateLine.objects.create(estimate=estimate, code=code, name=f"单项{code}", amount=D(amount), position=i)
        BaselineLine.objects.create(baseline=baseline, code=code, name=f"单项{code}", amount=D(amount), position=i)
    estimate.baseline = baseline
    estimate.save(update_fields=["baseline"])
    return estimate


def test_no_estimate_gives_empty_totals(project: Any) -> None:
    from egovpm.budgets.selectors import budget_execution

    out = budget_execution(project=project)
    assert out == {
        "items": [],
        "total_baseline": None,
        "total_current": D(0),
        "total_spent": D(0),
        "execution_rate": None,
    }


def test_execution_rates_and_as_of(project: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.models import Expenditure
    from egovpm.budgets.selectors import budget_execution

    estimate = _approved_estimate(project, personas["staff_a"], {"01": "300000.00", "02": "0.00", "03": "700000.00"})
    line1 = estimate.lines.get(code="01")
    for day, amount in ((dt.date(2026, 3, 1), "100000.00"), (dt.date(2026, 9, 1), "1.00")):
        Expenditure.objects.create(
            project=project,
            line=line1,
            spent_on=day,
            amount=D(amount),
            voucher="记-001",
            recorded_by=personas["staff_a"],
            recorded_at=NOW,
        )
    out = budget_execution(project=project)
    assert out["total_baseline"] == D("1000000.00")
    assert out["total_current"] == D("1000000.00")
    assert out["total_spent"] == D("100001.00")
    assert out["execution_rate"] == D("0.1000")
    first, second, _third = out["items"]
    assert first == {
        "code": "01",
        "name": "单项01",
        "baseline_amount": D("300000.00"),
        "current_amount": D("300000.00"),
        "spent": D("100001.00"),
        "execution_rate": D("0.3333"),
    }
    assert second["execution_rate"] is None  # nothing approved on this line
    early = budget_execution(project=project, as_of=dt.date(2026, 6, 30))
    assert early["total_spent"] == D("100000.00")
    assert early["items"][0]["execution_rate"] == D("0.3333")
    assert all(isinstance(v, D) for v in (early["total_current"], early["total_spent"]))
