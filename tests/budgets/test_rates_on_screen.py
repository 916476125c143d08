"""Execution rates read as percentages rounded away from passing (issue 15 item 4): spending passes
only at or under the approved amount (C3.6), so a rate is rounded UP — 100.001 % never reads
100.00 % — with the exact value on hover, on the budgets tab and in the reports (screen, DOCX, PDF);
and the spending ledger shows amounts in 元, the unit the expenditure form takes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _visible(html: str) -> str:
    return re.sub(r"<[^>]*>", " ", html)


@pytest.mark.parametrize(
    ("ratio", "shown", "exact"),
    [("1.00001", "100.01%", "100.001%"), ("0.15000001", "15.01%", "15.000001%"), ("0.3333", "33.33%", "33.33%")],
)
def test_rate_filter_rounds_up_with_exact_on_hover(ratio: str, shown: str, exact: str) -> None:
    from egovpm.budgets.templatetags.budgets_ui import rate

    html = str(rate(D(ratio)))
    assert _visible(html).strip() == shown
    assert f'title="{exact}"' in html
    assert str(rate(None)) == "—"


def test_report_percent_rounds_up() -> None:
    from egovpm.reports.selectors import percent

    assert percent(D("1.00001")) == "100.01%"  # over the approved amount never reads as within it
    assert percent("0.15000001") == "15.01%"
    assert percent(D("0.1500")) == "15.00%"
    assert percent(None) == "—"


def test_report_budget_table_shows_rounded_rate_exact_on_hover() -> None:
    from django.template.loader import render_to_string

    from egovpm.reports.views import budget_rows

    table = {
        "items": [
            {
                "code": "01",
                "name": "应用系统",
                "baseline_amount": "600000.00",
                "current_amount": "600000.00",
                "spent": "600006.00",
                "execution_rate": D("1.00001"),
            }
        ],
        "total_baseline": "600000.00",
        "total_current": "600000.00",
        "total_spent": "600006.00",
        "execution_rate": D("1.00001"),
    }
    html = render_to_string("reports/_budget_table.html", {"budget_rows": budget_rows(table)})
    assert "100.01%" in _visible(html) and "100.00%" not in _visible(html)
    assert 'title="100.001%"' in html


def test_budgets_tab_shows_the_rate_as_a_percentage(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.services import ExpenditureIn, expenditure_add

    expenditure_add(
        actor=personas["staff_a"],
        project_id=built.pk,
        row=ExpenditureIn(line="01", spent_on=dt.date(2025, 1, 10), amount=D("200000.00"), voucher="记-001"),
    )
    c = Client()
    c.force_login(personas["staff_a"])
    body = c.get(reverse("web:project_budgets", kwargs={"pk": built.pk})).content.decode()
    # 200 000 / 600 000: the selector keeps four decimals of the ratio (0.3333, as the API gives it)
    assert '<span class="pct" title="33.33%">33.33%</span>' in body
    assert '<span class="pct" title="20%">20.00%</span>' in body  # the total: 200 000 / 1 000 000


def test_the_spending_ledger_shows_amounts_in_the_unit_they_are_typed_in(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.services import ExpenditureIn, expenditure_add

    expenditure_add(
        actor=personas["staff_a"],
        project_id=built.pk,
        row=ExpenditureIn(line="01", spent_on=dt.date(2025, 1, 10), amount=D("123456.78"), voucher="记-002"),
    )
    c = Client()
    c.force_login(personas["staff_a"])
    body = c.get(reverse("web:project_budgets", kwargs={"pk": built.pk})).content.decode()
    ledger = body.split('aria-label="近期支出"', 1)[1].split("</table>", 1)[0]
    assert "金额（元）" in ledger and "万元" not in ledger  # the form's unit (金额（元）), named
    assert ">123,456.78<" in ledger
