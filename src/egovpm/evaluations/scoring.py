"""Indicator trees and their scores, as pure functions (no database).

A tree is a list of nodes `{"name", "weight", "dimension" (top level only), "children" (optional)}`.
`validate_tree` checks it — weights are Decimals with at most 2 decimal places, siblings sum to
exactly 100 (the top level too), every top-level node is `efficiency` or `effect`, at most
MAX_LEVELS levels — and answers the normalised tree with codes ("1", "1.2", "1.2.3") and weights as
strings, or raises InvalidInput naming the path of each bad node
(`indicators[0].children[1].weight`).

`compute` turns leaf scores (integers 0–100) into the two dimension scores and the total, exactly:
a leaf contributes Π(weights on its path) × score / 100^levels; the total is the sum; a dimension's
score is its points × 100 / Σ(its top-level weights), on the 0–100 scale. Nothing is rounded but
a dimension score whose quotient does not terminate (kept to SCORE_PLACES places, half-even)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from egovpm.core.errors import FieldError, InvalidInput
from egovpm.evaluations.choices import Dimension
from egovpm.evaluations.errors import EvaluationError

MAX_LEVELS = 4
SCORE_PLACES = 16
HUNDRED = Decimal(100)
_WEIGHT = re.compile(r"^\d{1,3}(\.\d{1,2})?$")


def _weight(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not _WEIGHT.match(value.strip()):
        return None
    weight = Decimal(value.strip())
    return weight if Decimal(0) < weight <= HUNDRED else None


def plain(value: Decimal) -> str:
    """A decimal as written by people: no exponent, no trailing zeros ("25", "12.5")."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def validate_tree(indicators: Any, field: str = "indicators") -> list[dict[str, Any]]:
    errors: dict[str, FieldError] = {}
    tree = _nodes(indicators, field, "", 1, errors)
    if tree is not None and not errors:
        dimensions = {node["dimension"] for node in tree}
        if dimensions != set(Dimension.values):
            errors[field] = FieldError(EvaluationError.DIMENSIONS_BOTH)
    if errors or tree is None:
        raise InvalidInput(EvaluationError.TEMPLATE_NOT_ADDED, fields=errors)
    return tree


def _nodes(
    items: Any, path: str, prefix: str, level: int, errors: dict[str, FieldError]
) -> list[dict[str, Any]] | None:
    if not isinstance(items, list) or not items:
        errors[path] = FieldError(EvaluationError.INDICATORS_LIST)
        return None
    if level > MAX_LEVELS:
        errors[path] = FieldError(EvaluationError.TOO_DEEP, {"levels": MAX_LEVELS})
        return None
    out: list[dict[str, Any]] = []
    total = Decimal(0)
    sums_known = True
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        code = f"{prefix}{i + 1}"
        if not isinstance(item, dict) or set(item) - {"name", "weight", "dimension", "children", "code"}:
            errors[here] = FieldError(EvaluationError.NODE_SHAPE)
            sums_known = False
            continue
        node: dict[str, Any] = {"code": code}
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
            errors[f"{here}.name"] = FieldError(EvaluationError.NODE_SHAPE)
        else:
            node["name"] = name.strip()
        weight = _weight(item.get("weight"))
        if weight is None:
            errors[f"{here}.weight"] = FieldError(EvaluationError.WEIGHT_FORMAT)
            sums_known = False
        else:
            node["weight"] = plain(weight)
            total += weight
        dimension = item.get("dimension")
        if level == 1:
            if dimension not in Dimension.values:
                errors[f"{here}.dimension"] = FieldError(
                    EvaluationError.DIMENSION_REQUIRED, {"choices": ", ".join(Dimension.values)}
                )
            node["dimension"] = dimension
        elif dimension not in (None, ""):
            errors[f"{here}.dimension"] = FieldError(EvaluationError.DIMENSION_ONLY_TOP)
        children = item.get("children")
        if children not in (None, []):
            node["children"] = _nodes(children, f"{here}.children", f"{code}.", level + 1, errors) or []
        out.append(node)
    if sums_known and total != HUNDRED:
        errors.setdefault(path, FieldError(EvaluationError.WEIGHTS_SUM, {"sum": plain(total)}))
    return out


@dataclass(frozen=True)
class Leaf:
    code: str
    names: tuple[str, ...]  # the names on the path, top first
    weights: tuple[Decimal, ...]
    dimension: str


def leaves(tree: list[dict[str, Any]]) -> Iterator[Leaf]:
    def walk(
        nodes: list[dict[str, Any]], names: tuple[str, ...], weights: tuple[Decimal, ...], dim: str
    ) -> Iterator[Leaf]:
        for node in nodes:
            d = node.get("dimension") or dim
            n, w = (*names, node["name"]), (*weights, Decimal(node["weight"]))
            if node.get("children"):
                yield from walk(node["children"], n, w, d)
            else:
                yield Leaf(node["code"], n, w, d)

    yield from walk(tree, (), (), "")


def parse_score(value: Any) -> int | None:
    """A score is a JSON integer 0–100 (a form's digits too); a bool, a float or other text is not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}", value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= 100:
        return value
    return None


def check_scores(tree: list[dict[str, Any]], scores: Any, field: str = "scores") -> dict[str, int]:
    """The leaf scores as {code: int}, or InvalidInput naming `scores` / `scores.<code>`."""
    if not isinstance(scores, Mapping):
        raise InvalidInput(EvaluationError.NOT_RECORDED, fields={field: FieldError(EvaluationError.SCORES_SHAPE)})
    codes = [leaf.code for leaf in leaves(tree)]
    errors: dict[str, FieldError] = {}
    unknown = sorted(set(scores) - set(codes))
    missing = [c for c in codes if c not in scores]
    if unknown:
        errors[field] = FieldError(EvaluationError.LEAVES_UNKNOWN, {"codes": ", ".join(map(str, unknown))})
    elif missing:
        errors[field] = FieldError(EvaluationError.LEAVES_MISSING, {"codes": ", ".join(missing)})
    out: dict[str, int] = {}
    for code in codes:
        if code in scores:
            score = parse_score(scores[code])
            if score is None:
                errors[f"{field}.{code}"] = FieldError(EvaluationError.SCORE_RANGE)
            else:
                out[code] = score
    if errors:
        raise InvalidInput(EvaluationError.NOT_RECORDED, fields=errors)
    return out


@dataclass(frozen=True)
class Scores:
    efficiency: Decimal
    effect: Decimal
    total: Decimal


def _exact(value: Fraction) -> Decimal:
    """`value` as a Decimal: exact when it terminates within SCORE_PLACES places, else rounded there."""
    quotient = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(quotient) == value:
        return quotient
    return quotient.quantize(Decimal(1).scaleb(-SCORE_PLACES), rounding=ROUND_HALF_EVEN)


def compute(tree: list[dict[str, Any]], scores: Mapping[str, int]) -> Scores:
    points: dict[str, Fraction] = {d: Fraction(0) for d in Dimension.values}
    for leaf in leaves(tree):
        product = Fraction(1)
        for weight in leaf.weights:
            product *= Fraction(weight) / 100
        points[leaf.dimension] += product * scores[leaf.code]
    top = {d: sum((Fraction(Decimal(n["weight"])) for n in tree if n["dimension"] == d), Fraction(0)) for d in points}
    total = points[Dimension.EFFICIENCY] + points[Dimension.EFFECT]
    return Scores(
        efficiency=_exact(points[Dimension.EFFICIENCY] * 100 / top[Dimension.EFFICIENCY]),
        effect=_exact(points[Dimension.EFFECT] * 100 / top[Dimension.EFFECT]),
        total=_exact(total),
    )


def display(value: Decimal | None, places: int = 2) -> str:
    """A score for people: rounded (half-up) to `places` places, trailing zeros dropped."""
    if value is None:
        return ""
    return plain(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def parse_text_tree(text: str, field: str = "tree") -> Any:
    """The textarea form of a tree: one indicator a line, "name | weight", a top-level line
    "name | weight | efficiency|effect", children indented two spaces under their parent — or the
    API's JSON list of indicators pasted as it is (validate_tree then judges either)."""
    if text.lstrip().startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            raise InvalidInput(
                EvaluationError.TEMPLATE_NOT_ADDED, fields={field: FieldError(EvaluationError.INDICATORS_LIST)}
            ) from None
    roots: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(-1, roots)]
    errors: dict[str, FieldError] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        parts = [p.strip() for p in raw.strip().split("|")]
        if len(parts) not in (2, 3):
            errors[field] = FieldError(EvaluationError.TREE_LINE, {"line": number})
            break
        if indent % 2:
            errors[field] = FieldError(EvaluationError.TREE_INDENT, {"line": number})
            break
        level = indent // 2
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack[-1][0] != level - 1:
            errors[field] = FieldError(EvaluationError.TREE_INDENT, {"line": number})
            break
        node: dict[str, Any] = {"name": parts[0], "weight": parts[1]}
        if len(parts) == 3:
            node["dimension"] = parts[2]
        siblings = stack[-1][1]
        siblings.append(node)
        node["children"] = []
        stack.append((level, node["children"]))
    if errors:
        raise InvalidInput(EvaluationError.TEMPLATE_NOT_ADDED, fields=errors)
    return roots
