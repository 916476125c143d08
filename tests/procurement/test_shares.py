"""The 自主可控 shares as a pure function (domain.md §11.1; docs/procurement.md "Shares"):
exact decimal strings in [0, 1], null only when there is nothing to divide, every category always
present, and a department's share is the amount-weighted combination of its projects' shares. One
aggregate query answers a department's or the portfolio's shares."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovpm.procurement.choices import KEY_CATEGORIES, Category
from egovpm.procurement.shares import SIGNIFICANT_DIGITS, ratio, shares

from .helpers import body, url

AMOUNTS = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("9999999999999.99"), places=2)
ITEMS = st.lists(st.tuples(st.sampled_from(Category.values), AMOUNTS, st.booleans()), max_size=25)


def _check_share(text: str | None, numerator: Any, denominator: Any) -> None:
    if denominator == 0:
        assert text is None
        return
    assert text is not None and "e" not in text.lower() and not text.startswith("-")
    value = Fraction(Decimal(text))
    exact = Fraction(numerator) / Fraction(denominator)
    assert 0 <= value <= 1
    if value != exact:  # a quotient that does not terminate: truncated, never rounded up
        assert value < exact
        assert exact - value < Fraction(1, 10 ** (SIGNIFICANT_DIGITS - 1)) * exact
    assert (value == 0) == (numerator == 0)
    assert (value == 1) == (numerator == denominator)


@settings(max_examples=200, deadline=None)
@given(ITEMS)
def test_shares_are_exact_in_unit_interval_and_null_only_on_empty(items: list[tuple[str, Decimal, bool]]) -> None:
    answer = shares(items)
    assert set(answer["categories"]) == set(Category.values)
    groups = {c: [i for i in items if i[0] == c] for c in Category.values}
    groups_key = [i for i in items if i[0] in KEY_CATEGORIES]
    for figures, group in [
        *((answer["categories"][c], g) for c, g in groups.items()),
        (answer["key_total"], groups_key),
    ]:
        total = sum((a for _, a, _ in group), Decimal(0))
        secure = sum((a for _, a, s in group if s), Decimal(0))
        assert figures["amount_total"] == f"{total:.2f}" and figures["amount_secure"] == f"{secure:.2f}"
        assert figures["count_total"] == len(group)
        assert figures["count_secure"] == sum(1 for *_, s in group if s)
        _check_share(figures["count_share"], figures["count_secure"], len(group))
        _check_share(figures["amount_share"], secure, total)
        assert (figures["count_share"] is None) == (not group)


@settings(max_examples=100, deadline=None)
@given(st.lists(ITEMS, min_size=1, max_size=5))
def test_department_share_is_the_amount_weighted_combination(projects: list[list[tuple[str, Decimal, bool]]]) -> None:
    department = shares([i for p in projects for i in p])
    per_project = [shares(p) for p in projects]
    for key in ("key_total", *Category.values):
        pick = (lambda s: s["key_total"]) if key == "key_total" else (lambda s, k=key: s["categories"][k])
        totals = [Decimal(pick(s)["amount_total"]) for s in per_project]
        secures = [Decimal(pick(s)["amount_secure"]) for s in per_project]
        whole = sum(totals, Decimal(0))
        if whole == 0:
            continue
        # Σ total_p × share_p / Σ total_p, with each share_p the exact secure_p / total_p
        weighted = sum((Fraction(s) for t, s in zip(totals, secures, strict=True) if t), Fraction(0)) / Fraction(whole)
        assert Decimal(pick(department)["amount_secure"]) == sum(secures, Decimal(0))
        _check_share(pick(department)["amount_share"], sum(secures, Decimal(0)), whole)
        assert Fraction(Decimal(pick(department)["amount_share"])) <= weighted


def test_exact_where_the_quotient_terminates() -> None:
    assert ratio(1, 8) == "0.125"
    assert ratio(Decimal("0.01"), Decimal("9999999999999.99") * 4) is not None
    assert ratio(3, 3) == "1" and ratio(0, 7) == "0"
    assert ratio(1, 3) == "0." + "3" * SIGNIFICANT_DIGITS
    assert ratio(2, 3) == "0." + "6" * SIGNIFICANT_DIGITS  # truncated, not rounded up
    assert Fraction(Decimal(ratio(1, 2**60) or "")) == Fraction(1, 2**60)  # 60 places, all exact
    assert ratio(5, 0) is None


def test_empty_answers_every_category_with_nulls() -> None:
    answer = shares([])
    assert list(answer["categories"]) == [*KEY_CATEGORIES, "other"]
    assert answer["key_total"] == {
        "amount_total": "0.00",
        "amount_secure": "0.00",
        "amount_share": None,
        "count_total": 0,
        "count_secure": 0,
        "count_share": None,
    }
    zero = shares([("basic_software", Decimal("0.00"), True)])["categories"]["basic_software"]
    assert zero["amount_share"] is None and zero["count_share"] == "1"


@pytest.mark.django_db
def test_shares_for_many_projects_is_one_query(
    api: Any, personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from conftest import make_project
    from egovpm.procurement.shares import shares_for
    from egovpm.projects.models import Project

    for n in range(3):
        p = make_project(personas["staff_a"], name=f"项目{n}")
        api("staff_a").post(url(p), body(amount=f"{100 * (n + 1)}.00", secure_controllable=n % 2 == 0), format="json")
    projects = Project.objects.filter(lead_department__code="moa")
    with django_assert_num_queries(1):
        answer = shares_for(projects)
    assert answer["categories"]["basic_software"]["amount_share"] == "0." + "6" * SIGNIFICANT_DIGITS  # 400 / 600
