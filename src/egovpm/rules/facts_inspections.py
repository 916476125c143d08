"""Plain facts of clause 八 (C8.1): rectification items and the pure replay of their events as of a
date — no Django. The inspections app's state machine (inspections/machine.py) re-exports the
item's part from here, its fact provider fills `ProjectFacts.inspections` with RectificationFact.

Item: open —answer→ submitted —close→ closed; submitted —reopen→ open (optionally with a new due
date). Overdue on D ⇔ open and due date < D (Beijing dates, the due date inclusive)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

OPEN, SUBMITTED, CLOSED = "open", "submitted", "closed"
ANSWER, CLOSE, REOPEN = "answer", "close", "reopen"

_ITEM: dict[tuple[str, str], str] = {
    (OPEN, ANSWER): SUBMITTED,
    (SUBMITTED, CLOSE): CLOSED,
    (SUBMITTED, REOPEN): OPEN,
}


class TransitionRefused(Exception):
    """The move is not allowed in this state (the services answer 409)."""

    def __init__(self, state: str, move: str) -> None:
        super().__init__(f"{move} refused in state {state}")
        self.state = state
        self.move = move


def item_next(state: str, kind: str) -> str:
    try:
        return _ITEM[(state, kind)]
    except KeyError:
        raise TransitionRefused(state, kind) from None


@dataclass(frozen=True)
class ItemEvent:
    kind: str
    effective_date: dt.date
    new_due_date: dt.date | None = None


@dataclass(frozen=True)
class ItemState:
    state: str
    due_date: dt.date
    overdue: bool


def apply(state: str, due: dt.date, event: ItemEvent) -> tuple[str, dt.date]:
    """One event on (state, due date): the state after it and the due date after it."""
    new_state = item_next(state, event.kind)
    if event.kind == REOPEN and event.new_due_date is not None:
        due = event.new_due_date
    return new_state, due


def is_overdue(state: str, due: dt.date, day: dt.date) -> bool:
    """Overdue on `day`: still open and the (inclusive) due date has passed."""
    return state == OPEN and due < day


def item_state_on(initial_due: dt.date, events: Iterable[ItemEvent], day: dt.date) -> ItemState:
    """The item as of `day`: the events dated on or before it replayed in their order (a refused
    move, which the services never store, is skipped), and whether it is overdue on that day."""
    state, due = OPEN, initial_due
    for event in events:
        if event.effective_date > day:
            continue
        try:
            state, due = apply(state, due, event)
        except TransitionRefused:
            continue
    return ItemState(state, due, is_overdue(state, due, day))


def becomes_overdue_on(item: ItemState, day: dt.date) -> dt.date | None:
    """The first day after `day` on which the item, unchanged, turns overdue (None: it never does
    by the date alone — answered, closed, or already overdue)."""
    if item.state != OPEN or item.overdue:
        return None
    return max(item.due_date + dt.timedelta(days=1), day + dt.timedelta(days=1))


@dataclass(frozen=True)
class RectificationFact:
    """One rectification item as the rules see it (ProjectFacts.inspections holds a tuple of them):
    its inspection's reference, the finding's number, the first due date and the events dated on
    or before the facts' as_of, in their order."""

    reference: str
    finding: int
    initial_due: dt.date
    events: tuple[ItemEvent, ...] = ()

    def on(self, day: dt.date) -> ItemState:
        return item_state_on(self.initial_due, self.events, day)
