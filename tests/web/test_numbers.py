"""Percentages people can read (issue 15 item 4): two decimals rounded away from the passing side,
the exact value on hover."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from egovpm.web.numbers import percent_exact, percent_rounded


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        ("0.15", "15.00%"),  # exactly at the limit passes and reads as the limit
        ("0.15000001", "15.01%"),  # 15.000001 % is over the limit: never 15.00 %
        ("0.1500000000000000001", "15.01%"),
        ("0.14999999", "15.00%"),  # under the limit may read as the limit (not as passing more)
        ("0.0666666666666666667", "6.67%"),
        ("0.0334", "3.34%"),
        ("0", "0.00%"),
    ],
)
def test_lower_passes_rounds_up(ratio: str, shown: str) -> None:
    assert percent_rounded(ratio, "lower") == shown


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        ("0.15", "15.00%"),
        ("0.14999999", "14.99%"),  # a share just under a 15 % floor never reads as reaching it
        ("0.15000001", "15.00%"),
        ("0.599999", "59.99%"),
        ("1", "100.00%"),
    ],
)
def test_higher_passes_rounds_down(ratio: str, shown: str) -> None:
    assert percent_rounded(ratio, "higher") == shown


def test_exact_value_and_empty_input() -> None:
    assert percent_exact("0.15000001") == "15.000001%"
    assert percent_exact(Decimal("0.0333333")) == "3.33333%"
    assert percent_rounded(None) == "—"
    assert percent_rounded("") == "—"
    assert percent_rounded("not a number") == "—"


def test_negative_ratio_rounds_toward_the_failing_side_without_minus_zero() -> None:
    assert percent_rounded("-0.0000001", "lower") == "0.00%"
    assert percent_rounded("-0.0000001", "higher") == "-0.01%"


def test_template_filters_show_rounded_text_and_exact_title() -> None:
    html = Template("{% load egovpm_ui %}{{ a|pct }}|{{ b|pct_share }}").render(
        Context({"a": "0.15000001", "b": "0.14999999"})
    )
    assert '<span class="pct" title="15.000001%">15.01%</span>' in html
    assert '<span class="pct" title="14.999999%">14.99%</span>' in html
    assert "15.00%" not in html
