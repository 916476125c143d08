"""统一社会信用代码 (unified social credit code) per GB 32100-2015: 18 characters from the code's
31-character alphabet (the digits and the capital letters without I, O, Z, S, V); the 18th is the
check character over the first 17 (weights 3^(i) mod 31)."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character of a code's first 17 characters (all from ALPHABET)."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when `code` is 18 characters of the alphabet (capitals) and its check character fits."""
    if len(code) != LENGTH or any(c not in VALUES for c in code):
        return False
    return check_character(code[:17]) == code[17]
