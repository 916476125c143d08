"""自主可控 shares read as percentages (issue 15 item 4): a share passes when it is high enough, so it
is rounded DOWN (2/3 reads 66.66 %, never 66.67 %; 59.999 % never reads 60.00 %), the exact value on
hover; the raw ratio is never shown."""

from __future__ import annotations

import re
from decimal import Decimal as D

from django.template.loader import render_to_string


def _visible(html: str) -> str:
    return re.sub(r"<[^>]*>", " ", html)


def test_shares_block_shows_percentages_rounded_down() -> None:
    from egovpm.procurement.shares import shares

    figures = shares(
        [
            ("basic_software", D("200000.00"), True),
            ("basic_software", D("100000.00"), False),
            ("basic_software", D("100000.00"), True),
        ]
    )
    html = render_to_string("procurement/shares_block.html", {"shares": figures})
    row = html.split("</tr>")[1]  # the header row, then the first category
    text = _visible(row)
    assert "75.00%" in text  # by amount: 300 000 of 400 000
    assert "66.66%" in text and "66.67%" not in text  # by count: 2 of 3, rounded down
    assert 'title="66.666666' in row  # the exact share on hover
    assert "0.75" not in text and "0.6666" not in text
