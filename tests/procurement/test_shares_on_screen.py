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
    from egovpm.procurement.templatetags.procurement_ui import procurement_category

    figures = shares(
        [
            ("basic_software", D("200000.00"), True),
            ("basic_software", D("100000.00"), False),
            ("basic_software", D("100000.00"), True),
        ]
    )
    html = render_to_string("procurement/shares_block.html", {"shares": figures})
    label = procurement_category("basic_software")
    row = next(r for r in html.split("</tr>") if f">{label}<" in r)
    text = _visible(row)
    assert "75.00%" in text  # by amount: 300 000 of 400 000
    assert "66.66%" in text and "66.67%" not in text  # by count: 2 of 3, rounded down
    assert 'title="66.666666' in row  # the exact share on hover
    assert "0.75" not in text and "0.6666" not in text


def test_the_chart_tooltip_reads_the_same_percentages() -> None:
    from egovpm.procurement.shares import shares
    from egovpm.procurement.templatetags.procurement_ui import procurement_category, share_chart

    figures = shares([("basic_software", D("100000.00"), True), ("basic_software", D("200000.00"), False)])
    chart = share_chart(figures)
    i = chart["labels"].index(procurement_category("basic_software"))
    assert chart["amount_pct"][i] == "33.33%"  # 1/3 rounded down, as the table
    assert chart["count_pct"][i] == "50.00%"
    assert chart["amount_pct"][-1] == "33.33%"  # the five key categories together
    assert chart["count_pct"][0] == "—"  # nothing recorded in that category
