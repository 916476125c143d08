"""Money is yuan as exact decimals with two places (domain.md §3); never floats."""

from __future__ import annotations

import re
from decimal import Decimal

# ASCII digits only, the whole string: "100.00\n" or full-width "１００" are refused, not normalised
AMOUNT_RE = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")
CENT = Decimal("0.01")


def parse_amount(value: object) -> Decimal:
    """Accepts only a decimal string as api.md defines it; a JSON number, exponent,
    sign or third decimal place is refused rather than rounded."""
    if not isinstance(value, str) or not AMOUNT_RE.fullmatch(value):
        raise ValueError('an amount is a string of yuan like "1200000.00" (at most 2 decimal places)')
    return Decimal(value).quantize(CENT)


def wan_yuan(amount: Decimal) -> str:
    """Amount in 万元 with two decimals, as Chinese officials read it."""
    return f"{(amount / Decimal(10000)).quantize(CENT):,}"
