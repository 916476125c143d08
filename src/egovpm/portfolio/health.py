"""Computed health beside the department's self-assessment (domain.md §13), as pure functions: the
cockpit's "红灯但自评正常" panel and `health_disagreements` count with them.

Health itself is the stored verdict's (compliance.services.counts: red when a gate or violation
rule fails or errors, amber when only warnings fail, green otherwise). A department's
self-assessment is `on_track`, `at_risk` or `off_track` (its latest half-year or annual report)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HEALTH_RANK = {"red": 0, "amber": 1, "green": 2}
SELF_ASSESSMENTS = ("on_track", "at_risk", "off_track")


def disagrees(health: str, self_assessment: str | None) -> bool:
    """The computed health is red or amber while the department reports itself on track."""
    return health in ("red", "amber") and self_assessment == "on_track"


@dataclass(frozen=True)
class Disagreement:
    code: str
    name: str
    health: str
    bad: int
    warn: int
    self_assessment: str


def worst_first(rows: Iterable[Disagreement]) -> list[Disagreement]:
    """Red before amber, then more failing gate/violation rules, then more warnings, then code."""
    return sorted(rows, key=lambda r: (HEALTH_RANK.get(r.health, 3), -r.bad, -r.warn, r.code))
