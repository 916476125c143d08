"""The indicator tree and its scores as pure functions: exact decimals, weights summing to 100."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovpm.core.errors import InvalidInput
from egovpm.evaluations import scoring

# Five first-level indicators, as provinces use (process, security, data, efficiency, effect).
FIVE = [
    {
        "name": "过程管理",
        "weight": "15",
        "dimension": "efficiency",
        "children": [{"name": "前期工作", "weight": "40"}, {"name": "建设管理", "weight": "60"}],
    },
    {
        "name": "安全保障",
        "weight": "15",
        "dimension": "efficiency",
        "children": [{"name": "等级保护", "weight": "50"}, {"name": "风险评估", "weight": "50"}],
    },
    {
        "name": "数据共享",
        "weight": "20",
        "dimension": "efficiency",
        "children": [
            {"name": "目录编制", "weight": "33.33"},
            {"name": "共享接口", "weight": "33.33"},
            {"name": "数据质量", "weight": "33.34"},
        ],
    },
    {
        "name": "运行效率",
        "weight": "20",
        "dimension": "efficiency",
        "children": [
            {
                "name": "可用性",
                "weight": "100",
                "children": [{"name": "年可用率", "weight": "70"}, {"name": "故障恢复", "weight": "30"}],
            }
        ],
    },
    {
        "name": "应用效果",
        "weight": "30",
        "dimension": "effect",
        "children": [{"name": "用户满意度", "weight": "60"}, {"name": "业务覆盖率", "weight": "40"}],
    },
]


def test_codes_and_leaves() -> None:
    tree = scoring.validate_tree(FIVE)
    leaves = list(scoring.leaves(tree))
    assert [leaf.code for leaf in leaves] == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
        "4.1.1",
        "4.1.2",
        "5.1",
        "5.2",
    ]
    assert leaves[7].weights == (Decimal("20"), Decimal("100"), Decimal("70"))


def test_hand_computed_example() -> None:
    tree = scoring.validate_tree(FIVE)
    scores = {
        "1.1": 80,
        "1.2": 90,
        "2.1": 70,
        "2.2": 100,
        "3.1": 60,
        "3.2": 90,
        "3.3": 75,
        "4.1.1": 95,
        "4.1.2": 85,
        "5.1": 88,
        "5.2": 72,
    }
    result = scoring.compute(tree, scores)
    # by hand, in points of the total (weight products / 100^levels × score):
    #  1: 15×(0.4×80 + 0.6×90)/100 = 15×86/100 = 12.9
    #  2: 15×(0.5×70 + 0.5×100)/100 = 15×85/100 = 12.75
    #  3: 20×(0.3333×60 + 0.3333×90 + 0.3334×75)/100 = 20×(19.998 + 29.997 + 25.005)/100 = 20×75/100 = 15
    #  4: 20×1×(0.7×95 + 0.3×85)/100 = 20×92/100 = 18.4
    #  5: 30×(0.6×88 + 0.4×72)/100 = 30×81.6/100 = 24.48
    # efficiency points 12.9 + 12.75 + 15 + 18.4 = 59.05 of 70 → 59.05×100/70 = 84.357142857142857142…
    assert result.total == Decimal("83.53")
    assert result.effect == Decimal("81.6")
    assert result.efficiency == Decimal("84.3571428571428571")  # does not terminate: 16 places, half-even
    assert scoring.display(result.efficiency) == "84.36"


def test_all_hundred_gives_exactly_hundred() -> None:
    tree = scoring.validate_tree(FIVE)
    result = scoring.compute(tree, {leaf.code: 100 for leaf in scoring.leaves(tree)})
    assert (result.total, result.efficiency, result.effect) == (Decimal(100), Decimal(100), Decimal(100))


@st.composite
def trees(draw: Any, level: int = 1, dimension: bool = True) -> list[dict[str, Any]]:
    """A random valid tree: sibling weights (2 decimals) summing to 100, up to 3 levels."""
    n = draw(st.integers(min_value=2 if dimension else 1, max_value=4))
    cents = draw(st.lists(st.integers(min_value=1, max_value=9000), min_size=n, max_size=n))
    scale = sum(cents)
    parts = [c * 10000 // scale for c in cents]
    parts[-1] += 10000 - sum(parts)
    if any(p <= 0 for p in parts):
        parts = [10000 // n] * (n - 1) + [10000 - 10000 // n * (n - 1)]
    nodes = []
    for i, p in enumerate(parts):
        node: dict[str, Any] = {"name": f"指标{level}-{i}", "weight": str(Decimal(p) / 100)}
        if dimension:
            node["dimension"] = "efficiency" if i % 2 == 0 else "effect"
        if level < 3 and draw(st.booleans()):
            node["children"] = draw(trees(level + 1, False))
        nodes.append(node)
    return nodes


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_valid_tree_scores_within_0_and_100(data: Any) -> None:
    tree = scoring.validate_tree(data.draw(trees()))
    codes = [leaf.code for leaf in scoring.leaves(tree)]
    scores = {c: data.draw(st.integers(min_value=0, max_value=100)) for c in codes}
    result = scoring.compute(tree, scores)
    for value in (result.total, result.efficiency, result.effect):
        assert Decimal(0) <= value <= Decimal(100)
    full = scoring.compute(tree, dict.fromkeys(codes, 100))
    assert (full.total, full.efficiency, full.effect) == (Decimal(100), Decimal(100), Decimal(100))
    zero = scoring.compute(tree, dict.fromkeys(codes, 0))
    assert zero.total == 0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), delta=st.integers(min_value=1, max_value=500))
def test_weights_not_summing_to_100_are_refused(data: Any, delta: int) -> None:
    tree = data.draw(trees())
    node = tree[0]
    node["weight"] = str(Decimal(node["weight"]) + Decimal(delta) / 100)
    if Decimal(node["weight"]) > 100:
        node["weight"] = str(Decimal(node["weight"]) - 2 * Decimal(delta) / 100)
    with pytest.raises(InvalidInput) as refused:
        scoring.validate_tree(tree)
    assert "indicators" in refused.value.fields


def test_text_tree_round_trip() -> None:
    text = "运行效率 | 40 | efficiency\n  可用性 | 70\n  响应 | 30\n应用效果 | 60 | effect\n"
    tree = scoring.validate_tree(scoring.parse_text_tree(text))
    assert [leaf.code for leaf in scoring.leaves(tree)] == ["1.1", "1.2", "2"]
    with pytest.raises(InvalidInput) as refused:
        scoring.parse_text_tree("运行效率 | 40 | efficiency\n     可用性 | 70\n")
    assert "tree" in refused.value.fields
    with pytest.raises(InvalidInput):
        scoring.parse_text_tree("运行效率 40")


@pytest.mark.parametrize("value", [True, 1.0, "1.5", "-1", "101", None, [], "八十"])
def test_a_score_is_an_integer_0_to_100(value: Any) -> None:
    assert scoring.parse_score(value) is None


def test_too_deep() -> None:
    deep: list[dict[str, Any]] = [{"name": "叶", "weight": "100"}]
    for _ in range(4):
        deep = [{"name": "层", "weight": "100", "children": deep}]
    deep[0]["dimension"] = "efficiency"
    deep[0]["weight"] = "50"
    tree = [*deep, {"name": "效果", "weight": "50", "dimension": "effect"}]
    with pytest.raises(InvalidInput) as refused:
        scoring.validate_tree(tree)
    assert "indicators[0].children[0].children[0].children[0].children" in refused.value.fields


def test_json_pasted_in_the_textarea() -> None:
    text = (
        '[{"name": "效率", "weight": "40", "dimension": "efficiency"},'
        ' {"name": "效果", "weight": 60, "dimension": "effect"}]'
    )
    tree = scoring.validate_tree(scoring.parse_text_tree(text))
    assert [n["weight"] for n in tree] == ["40", "60"]
    with pytest.raises(InvalidInput) as refused:
        scoring.parse_text_tree("[not json")
    assert "tree" in refused.value.fields
