"""Ratios as percentages people can read, rounded away from the passing side (issue 15, ui.md).

A ratio checked against a limit that it must not exceed ("lower passes": the 15 % of clause 3) is
rounded UP, so 15.000001 % reads 15.01 % and never 15.00 %; a share that must reach a floor
("higher passes": 自主可控 shares) is rounded DOWN, so 59.999 % never reads 60.00 %. The exact
value is kept for the hover title. Pure functions: Decimal in, text out, no floats.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Literal

Passes = Literal["lower", "higher"]
TWO_PLACES = Decimal("0.01")


def as_decimal(value: object) -> Decimal | None:
    """A ratio from a Decimal, int or exact string; None for empty or unreadable input (and floats'
    repr is read as its exact decimal text, never through binary arithmetic)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def percent_exact(ratio: object) -> str:
    """The exact percentage ("0.15000001" → "15.000001%")."""
    d = as_decimal(ratio)
    if d is None:
        return "—"
    text = format((d * 100).normalize(), "f")
    return f"{text}%"


def percent_rounded(ratio: object, passes: Passes = "lower") -> str:
    """Two decimals, rounded away from the passing side: up when lower passes, down when higher
    passes ("0.15000001", "lower" → "15.01%"; "0.59999", "higher" → "59.99%")."""
    d = as_decimal(ratio)
    if d is None:
        return "—"
    rounding = ROUND_CEILING if passes == "lower" else ROUND_FLOOR
    short = (d * 100).quantize(TWO_PLACES, rounding=rounding)
    if short == 0:
        short = abs(short)  # never "-0.00%"
    return f"{short:.2f}%"
