"""Issue 9 item 6 on the spending ledger: an amount the project cannot plausibly hold
(9,999,999,999,999.99 yuan, more than the whole current estimate in one entry) and loose dates are
refused with a 400 naming the field, through the API and the form; nothing is recorded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from egovpm.budgets.models import Expenditure

pytestmark = pytest.mark.django_db

HUGE = "9999999999999.99"


def spend(api: Any, project: Any, **fields: str) -> Any:
    body = {"line": "03", "spent_on": "2026-11-01", "amount": "1000.00", "voucher": "记-1", **fields}
    return api("staff_a").post(f"/api/v1/projects/{project.pk}/expenditures", body, format="json")


def test_an_amount_above_the_whole_estimate_is_refused(built: Any, api: Any) -> None:
    for amount in (HUGE, "1000000.01"):  # the estimate's current total is 1 000 000.00
        r = spend(api, built, amount=amount)
        assert r.status_code == 400, r.json()
        assert "amount" in r.json()["details"], r.json()
    assert not Expenditure.objects.filter(project=built).exists()
    assert spend(api, built, amount="1000000.00").status_code == 201  # the limit itself is allowed
    r = api("staff_a").get(f"/api/v1/projects/{built.pk}/budget-execution")
    assert r.status_code == 200 and r.json()["items"][2]["execution_rate"] == "10.0000"


@pytest.mark.parametrize("day", ["２０２６-01-05", "2026-1-5", "0001-01-01", "20260105"])
def test_loose_spending_dates_are_refused(day: str, built: Any, api: Any) -> None:
    r = spend(api, built, spent_on=day)
    assert r.status_code == 400 and "spent_on" in r.json()["details"], r.json()
    assert not Expenditure.objects.filter(project=built).exists()


def test_the_form_refuses_them_too(built: Any) -> None:
    c = Client()
    assert c.login(username="staff_a", password=PASSWORD)
    url = reverse("web:budgets_expenditure", kwargs={"pk": built.pk})
    for data in (
        {"line": "01", "spent_on": "２０２６-11-01", "amount": "1000.00", "voucher": "记-1"},
        {"line": "01", "spent_on": "2026-11-01", "amount": HUGE, "voucher": "记-1"},
        {"line": "01", "spent_on": "2026-11-01", "amount": "1000.00", "voucher": "记\u202e-1"},
    ):
        r = c.post(url, data)
        assert r.status_code in (200, 400), r.status_code
    assert not Expenditure.objects.filter(project=built).exists()


def test_an_execution_rate_far_above_100_percent_is_not_a_500() -> None:
    from egovpm.budgets.api import ExecutionOut

    data = {
        "as_of": None,
        "items": [],
        "total_baseline": Decimal("0.01"),
        "total_current": Decimal("0.01"),
        "total_spent": Decimal(HUGE),
        "execution_rate": Decimal(HUGE) / Decimal("0.01"),
    }
    assert ExecutionOut(data).data["execution_rate"] == "999999999999999.0000"


def test_the_xlsx_import_holds_its_rows_to_the_same_rules(built: Any, api: Any) -> None:
    import datetime as dt
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["单项工程编码", "支出日期", "金额（元）", "凭证号", "备注"])
    for row in (
        ["01", "2026-09-01", "10.00", "记-001", "正常"],
        ["0\u200b1", "2026-09-01", "10.00", "记-002", ""],
        ["01", "２０２６-09-01", "10.00", "记-003", ""],
        ["01", dt.datetime(9999, 12, 31), "10.00", "记-004", ""],
        ["01", "2026-09-01", "10.00", "记\u202e-005", ""],
        ["01", "2026-09-01", HUGE, "记-006", ""],
    ):
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "spending.xlsx"
    r = api("staff_a").post(f"/api/v1/projects/{built.pk}/expenditures/import", {"file": buffer}, format="multipart")
    assert r.status_code == 400, r.content
    rows = {x["row"]: set(x["errors"]) for x in r.json()["details"]["rows"]}
    assert rows == {3: {"line"}, 4: {"spent_on"}, 5: {"spent_on"}, 6: {"voucher"}, 7: {"amount"}}, rows
    assert not Expenditure.objects.filter(project=built).exists()
