"""自主可控 shares (domain.md §11.1; api.md "Procurement and delivery modes").

For each category and for the five key categories together:
``amount_share = Σ amount(secure) / Σ amount`` and ``count_share = #secure / #items``.

Arithmetic and precision (docs/procurement.md): amounts are exact decimals, the quotient is
taken on exact fractions, never floats. A quotient that terminates is written exactly, however
many places it needs (``"0.5"``, ``"0.333333333333333333333333333333"`` never appears for 1/2);
one that does not terminate (1/3) is truncated toward zero at ``SIGNIFICANT_DIGITS`` significant
digits — so a share is never rounded up to ``"1"`` when something is not secure, nor down to
``"0"`` when something is. A share is ``null`` (None) when there is nothing to divide: no items
(count) or a zero total amount (amount). Amounts are strings with two places (``"0.00"``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypedDict

from egovpm.procurement.choices import KEY_CATEGORIES, Category

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from egovpm.projects.models import Project

SIGNIFICANT_DIGITS = 20
CENT = Decimal("0.01")
# every category is always present in the answer, key ones first, then `other`
CATEGORIES: tuple[str, ...] = (*KEY_CATEGORIES, Category.OTHER.value)


class ShareFigures(TypedDict):
    amount_total: str
    amount_secure: str
    amount_share: str | None
    count_total: int
    count_secure: int
    count_share: str | None


class Shares(TypedDict):
    categories: dict[str, ShareFigures]
    key_total: ShareFigures


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> str | None:
    """numerator / denominator as a decimal string: exact when it terminates, else truncated at
    SIGNIFICANT_DIGITS significant digits; None when the denominator is zero."""
    if denominator == 0:
        return None
    fraction = Fraction(numerator) / Fraction(denominator)
    if fraction == 0:
        return "0"
    rest = fraction.denominator
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    with localcontext() as context:
        context.rounding = ROUND_DOWN
        if rest == 1:  # terminates after max(twos, fives) places: divide with room for all of them
            context.prec = len(str(abs(fraction.numerator))) + max(twos, fives) + 2
        else:
            context.prec = SIGNIFICANT_DIGITS
        quotient = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    text = format(quotient, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class _Tally:
    __slots__ = ("amount_total", "amount_secure", "count_total", "count_secure")

    def __init__(self) -> None:
        self.amount_total = Decimal(0)
        self.amount_secure = Decimal(0)
        self.count_total = 0
        self.count_secure = 0

    def add(self, amount: Decimal, count: int, secure: bool) -> None:
        self.amount_total += amount
        self.count_total += count
        if secure:
            self.amount_secure += amount
            self.count_secure += count

    def figures(self) -> ShareFigures:
        return {
            "amount_total": str(self.amount_total.quantize(CENT)),
            "amount_secure": str(self.amount_secure.quantize(CENT)),
            "amount_share": ratio(self.amount_secure, self.amount_total) if self.count_total else None,
            "count_total": self.count_total,
            "count_secure": self.count_secure,
            "count_share": ratio(self.count_secure, self.count_total),
        }


def from_groups(groups: Iterable[tuple[str, bool, Decimal, int]]) -> Shares:
    """The shares from grouped sums: (category, secure, amount sum, item count) rows, as one
    GROUP BY category, secure_controllable query answers them."""
    tallies = {category: _Tally() for category in CATEGORIES}
    key = _Tally()
    for category, secure, amount, count in groups:
        tallies[category].add(amount, count, secure)
        if category in KEY_CATEGORIES:
            key.add(amount, count, secure)
    return {"categories": {c: t.figures() for c, t in tallies.items()}, "key_total": key.figures()}


def shares(items: Iterable[tuple[str, Decimal, bool]]) -> Shares:
    """The shares of a set of procurements given as (category, amount, secure) — a pure function."""
    return from_groups((category, secure, amount, 1) for category, amount, secure in items)


def shares_for(projects: QuerySet[Project], as_of: dt.date | None = None) -> Shares:
    """The shares over the procurements of `projects` (a department's, the portfolio's): ONE
    aggregate query (GROUP BY category, secure_controllable), whatever the number of projects.
    With `as_of`, only the contracts dated on or before it."""
    from django.db.models import Count, Sum

    from egovpm.procurement.models import Procurement

    qs = Procurement.objects.all()
    if projects.query.where:  # a part of the portfolio (every project: the table alone)
        qs = qs.filter(project__in=projects.values("pk"))
    if as_of is not None:
        qs = qs.filter(contract_date__lte=as_of)
    rows: Any = (
        qs.order_by().values_list("category", "secure_controllable").annotate(total=Sum("amount"), n=Count("id"))
    )
    return from_groups((category, secure, amount or Decimal(0), count) for category, secure, amount, count in rows)


def shares_figure(projects: QuerySet[Project], as_of: dt.date, today: bool) -> Shares:
    """The cockpit's `procurement_shares` figure (portfolio.figures provider): the shares over
    the caller's scoped projects, contracts dated on or before `as_of`; one query."""
    return shares_for(projects, as_of=as_of)
