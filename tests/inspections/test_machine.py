"""The state machines of an inspection and of a rectification item, as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovpm.inspections import machine
from egovpm.inspections.machine import ItemEvent, item_state_on

DUE = dt.date(2026, 6, 30)
DAY = dt.timedelta(days=1)


def test_overdue_is_inclusive_of_the_due_date() -> None:
    assert not item_state_on(DUE, (), dt.date(2026, 6, 30)).overdue
    assert item_state_on(DUE, (), dt.date(2026, 7, 1)).overdue


def test_an_answer_on_time_stops_the_clock_and_a_reopen_restarts_it() -> None:
    answered = ItemEvent("answer", dt.date(2026, 6, 29))
    assert item_state_on(DUE, (answered,), dt.date(2026, 8, 1)).state == "submitted"
    assert not item_state_on(DUE, (answered,), dt.date(2026, 8, 1)).overdue
    reopened = ItemEvent("reopen", dt.date(2026, 7, 10))
    later = item_state_on(DUE, (answered, reopened), dt.date(2026, 7, 10))
    assert later.state == "open" and later.overdue  # reopened without a new date: overdue again
    moved = ItemEvent("reopen", dt.date(2026, 7, 10), new_due_date=dt.date(2026, 7, 31))
    assert not item_state_on(DUE, (answered, moved), dt.date(2026, 7, 31)).overdue
    assert item_state_on(DUE, (answered, moved), dt.date(2026, 8, 1)).overdue
    # as of a day before the reopen, the answer stands
    assert item_state_on(DUE, (answered, moved), dt.date(2026, 7, 9)).state == "submitted"


@pytest.mark.parametrize(
    ("state", "kind"),
    [("open", "close"), ("open", "reopen"), ("submitted", "answer"), ("closed", "answer"), ("closed", "reopen")],
)
def test_refused_item_moves(state: str, kind: str) -> None:
    with pytest.raises(machine.TransitionRefused):
        machine.item_next(state, kind)


def test_inspection_moves() -> None:
    assert machine.inspection_next("in_progress", "add_finding") == "in_progress"
    assert machine.inspection_after_issue(2) == "report_issued"
    assert machine.inspection_after_issue(0) == "closed"
    with pytest.raises(machine.TransitionRefused):
        machine.inspection_next("report_issued", "add_finding")
    with pytest.raises(machine.TransitionRefused):
        machine.inspection_next("closed", "issue")
    assert machine.inspection_after_items("report_issued", ["closed", "submitted"]) == "report_issued"
    assert machine.inspection_after_items("report_issued", ["closed", "closed"]) == "closed"


events = st.lists(
    st.tuples(
        st.sampled_from(["answer", "close", "reopen"]),
        st.integers(min_value=0, max_value=5),  # days after the previous event
        st.one_of(st.none(), st.integers(min_value=0, max_value=60)),  # reopen: new due, days after
    ),
    max_size=12,
)


def _build(raw: list[tuple[str, int, int | None]]) -> list[ItemEvent]:
    """A history the services would store: only allowed moves, dates never going back."""
    out: list[ItemEvent] = []
    state, day = "open", dt.date(2026, 6, 1)
    for kind, gap, new_due in raw:
        day += gap * DAY
        try:
            state = machine.item_next(state, kind)
        except machine.TransitionRefused:
            continue
        out.append(ItemEvent(kind, day, day + new_due * DAY if kind == "reopen" and new_due is not None else None))
    return out


@given(events, st.integers(min_value=-5, max_value=120))
def test_any_history_keeps_exactly_one_state_and_overdue_follows_the_dates(
    raw: list[tuple[str, int, int | None]], offset: int
) -> None:
    history = _build(raw)
    day = dt.date(2026, 6, 1) + offset * DAY
    s = item_state_on(DUE, history, day)
    assert s.state in ("open", "submitted", "closed")
    assert s.overdue == (s.state == "open" and s.due_date < day)
    # the state as of `day` is the state after exactly the events dated on or before it
    counted = [e for e in history if e.effective_date <= day]
    state, due = "open", DUE
    for e in counted:
        state, due = machine.apply(state, due, e)
    assert (s.state, s.due_date) == (state, due)
    # a closed item never turns overdue again, whatever the date
    if s.state == "closed":
        assert not item_state_on(DUE, counted, day + 365 * DAY).overdue


@given(events)
def test_reopen_makes_an_item_overdue_again_once_its_date_passes(raw: list[tuple[str, int, int | None]]) -> None:
    history = _build(raw)
    if not history or history[-1].kind != "reopen":
        return
    last = history[-1]
    due = last.new_due_date or item_state_on(DUE, history[:-1], last.effective_date).due_date
    after = item_state_on(DUE, history, max(due, last.effective_date) + DAY)
    assert after.state == "open" and after.overdue
    horizon = machine.becomes_overdue_on(item_state_on(DUE, history, last.effective_date), last.effective_date)
    if due >= last.effective_date:
        assert horizon == due + DAY
