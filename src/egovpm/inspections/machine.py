"""The state machines of an inspection and of a rectification item, as pure functions (no Django,
no clock): the services ask them before they change anything, the facts replay them as of a date.

Inspection: in_progress —issue→ report_issued —(every item closed)→ closed; an issued inspection
without any item closes at once (there is nothing to rectify). Findings are recorded only while
in_progress.

Item: open —answer→ submitted —close→ closed; submitted —reopen→ open (the inspector rejects the
answer, optionally with a new due date). A closed item stays closed; a submitted item is not
answered again until it is reopened; an open item cannot be closed (nobody answered it)."""

from __future__ import annotations

from collections.abc import Iterable

from egovpm.rules.facts_inspections import (  # the item's machine: plain facts the rules replay too
    ANSWER,
    CLOSE,
    OPEN,
    REOPEN,
    SUBMITTED,
    ItemEvent,
    ItemState,
    RectificationFact,
    TransitionRefused,
    apply,
    becomes_overdue_on,
    is_overdue,
    item_next,
    item_state_on,
)

__all__ = [
    "ANSWER",
    "CLOSE",
    "OPEN",
    "REOPEN",
    "SUBMITTED",
    "ItemEvent",
    "ItemState",
    "RectificationFact",
    "TransitionRefused",
    "apply",
    "becomes_overdue_on",
    "is_overdue",
    "item_next",
    "item_state_on",
]

# inspection states and moves
IN_PROGRESS, REPORT_ISSUED, CLOSED = "in_progress", "report_issued", "closed"
ADD_FINDING, ISSUE, CLOSE_ALL = "add_finding", "issue", "close_all"

_INSPECTION: dict[tuple[str, str], str] = {
    (IN_PROGRESS, ADD_FINDING): IN_PROGRESS,
    (IN_PROGRESS, ISSUE): REPORT_ISSUED,
    (REPORT_ISSUED, CLOSE_ALL): CLOSED,
}


def inspection_next(state: str, move: str) -> str:
    try:
        return _INSPECTION[(state, move)]
    except KeyError:
        raise TransitionRefused(state, move) from None


def inspection_after_issue(item_count: int) -> str:
    """The state an inspection is in right after its report is issued."""
    issued = inspection_next(IN_PROGRESS, ISSUE)
    return inspection_next(issued, CLOSE_ALL) if item_count == 0 else issued


def inspection_after_items(state: str, item_states: Iterable[str]) -> str:
    """An issued inspection closes when every one of its items is closed."""
    if state == REPORT_ISSUED and all(s == CLOSED for s in item_states):
        return inspection_next(state, CLOSE_ALL)
    return state
