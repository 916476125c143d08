"""统一社会信用代码 check character per GB 32100-2015 (procurement/credit_code.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovpm.procurement.credit_code import ALPHABET, check_character, is_valid

# real-format codes: the standard's own example and codes as printed on business licences
REAL = ["91350100M000100Y43", "91440300708461136T", "91110000600037341L", "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19
        "91350100m000100Y43",  # lower case
        "91350100M000100I43",  # I, O, Z, S, V are not in the alphabet
        "91350100M000100O43",
        "91350100M000100Z43",
        "91350100M000100S43",
        "91350100M000100V43",
        "９1350100M000100Y43",  # full-width digit
        "",
    ],
)
def test_malformed_or_wrong_check_is_invalid(code: str) -> None:
    assert not is_valid(code)


def test_alphabet_excludes_i_o_z_s_v() -> None:
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_exactly_one_check_character_fits(body: str, last: str) -> None:
    assert is_valid(body + last) == (last == check_character(body))
