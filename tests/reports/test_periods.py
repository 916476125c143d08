"""The pure arithmetic of clause 四 (rules/facts_reports.py): which periods a project owes, their
Beijing-time deadlines (inclusive) and the status of each as of any date. No database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from egovpm.rules import facts_reports as fr
from egovpm.rules.facts_reports import ReportSubmissionFact as Sub

D = dt.date
UTC = dt.UTC
BJ = fr.BEIJING


@dataclass(frozen=True)
class Ev:
    action: str
    effective_date: dt.date


def window(start: dt.date, end: dt.date | None = None, end_action: str = "pass_completion_acceptance") -> list[Ev]:
    events = [Ev("submit_needs_analysis", start - dt.timedelta(days=90)), Ev("approve_preliminary_design", start)]
    if end is not None:
        events += [Ev("start_trial_operation", end - dt.timedelta(days=20)), Ev(end_action, end)]
    return events


def codes(events: list[Ev], as_of: dt.date) -> list[str]:
    return [s.code for s in fr.report_obligations(events, (), as_of)]


# --- periods and due dates -------------------------------------------------------------------------


def test_period_codes_and_due_dates() -> None:
    h1 = fr.period_from_code("2025-H1")
    assert (h1.kind, h1.start, h1.end, h1.due) == ("half_year", D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 31))
    year = fr.period_from_code("2025")
    assert (year.kind, year.start, year.end, year.due) == ("annual", D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 31))
    assert h1.label_zh == "2025年上半年" and year.label_zh == "2025年度"


@pytest.mark.parametrize("bad", ["", "2025-H2", "25-H1", "2025H1", "2025-h1", "20255", "abcd"])
def test_malformed_period_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        fr.period_from_code(bad)


def test_due_dates_come_from_the_pack_parameters() -> None:
    params = {"half_year_due": {"month": 8, "day": 15}, "annual_due": {"month": 2, "day": 28}}
    assert fr.period_from_code("2025-H1", params).due == D(2025, 8, 15)
    assert fr.period_from_code("2025", params).due == D(2026, 2, 28)


# --- the construction window -----------------------------------------------------------------------


def test_construction_starting_30_june_owes_the_half_year_report() -> None:
    assert codes(window(D(2025, 6, 30)), D(2026, 3, 1)) == ["2025-H1", "2025", "2026-H1", "2026"]


def test_construction_starting_1_july_owes_only_the_annual_report_for_that_year() -> None:
    assert codes(window(D(2025, 7, 1)), D(2026, 3, 1)) == ["2025", "2026-H1", "2026"]


def test_a_period_exists_once_it_has_started() -> None:
    events = window(D(2024, 3, 1))
    assert codes(events, D(2025, 12, 31)) == ["2024-H1", "2024", "2025-H1", "2025"]
    assert codes(events, D(2026, 1, 1)) == ["2024-H1", "2024", "2025-H1", "2025", "2026-H1", "2026"]


def test_project_finishing_mid_year_owes_both_reports_of_that_year_and_nothing_after() -> None:
    events = window(D(2024, 3, 1), end=D(2025, 3, 15))
    assert codes(events, D(2027, 1, 1)) == ["2024-H1", "2024", "2025-H1", "2025"]


def test_end_dates_are_inclusive() -> None:
    # completion on 1 January: one day in construction in the new year → both of its periods
    assert codes(window(D(2024, 3, 1), end=D(2025, 1, 1)), D(2027, 1, 1)) == ["2024-H1", "2024", "2025-H1", "2025"]
    # completion on 31 December: nothing in the next year
    assert codes(window(D(2024, 3, 1), end=D(2024, 12, 31)), D(2027, 1, 1)) == ["2024-H1", "2024"]
    # completion on 30 June of the same year as the start, 1 July start of the next half
    assert codes(window(D(2025, 2, 1), end=D(2025, 6, 30)), D(2027, 1, 1)) == ["2025-H1", "2025"]


def test_cancel_ends_the_window_too() -> None:
    events = window(D(2024, 9, 1), end=D(2025, 8, 1), end_action="cancel")
    assert codes(events, D(2027, 1, 1)) == ["2024", "2025-H1", "2025"]


def test_cancelled_before_construction_owes_nothing() -> None:
    events = [Ev("submit_needs_analysis", D(2024, 1, 1)), Ev("cancel", D(2024, 5, 1))]
    assert codes(events, D(2027, 1, 1)) == []


def test_as_of_judges_only_events_dated_by_then() -> None:
    events = window(D(2025, 3, 1), end=D(2025, 9, 1))
    assert codes(events, D(2025, 2, 28)) == []  # not in construction yet as of then
    assert codes(events, D(2025, 3, 1)) == ["2025-H1", "2025"]
    # as of mid-2025 the completion (September) is not known yet: the window is open
    assert fr.construction_window(events, D(2025, 8, 1)) == (D(2025, 3, 1), None)
    assert fr.construction_window(events, D(2025, 9, 1)) == (D(2025, 3, 1), D(2025, 9, 1))


# --- deadlines in Beijing time -------------------------------------------------------------------------


H1_2025 = fr.period_from_code("2025-H1")
Y2025 = fr.period_from_code("2025")


TODAY = D(2026, 11, 20)


def state(period: fr.Period, *subs: Sub, as_of: dt.date = TODAY) -> fr.ReportState:
    return fr.report_state(period, subs, as_of)


@pytest.mark.parametrize(
    "instant, status",
    [
        (dt.datetime(2025, 7, 31, 23, 59, 59, tzinfo=BJ), fr.ON_TIME),
        (dt.datetime(2025, 7, 31, 23, 59, 59, 999999, tzinfo=BJ), fr.ON_TIME),
        (dt.datetime(2025, 8, 1, 0, 0, 0, tzinfo=BJ), fr.LATE),
        # the same instants written in UTC judge the same
        (dt.datetime(2025, 7, 31, 15, 59, 59, tzinfo=UTC), fr.ON_TIME),
        (dt.datetime(2025, 7, 31, 16, 0, 0, tzinfo=UTC), fr.LATE),
        # and in another zone: 31 July 20:00 in New York is already 1 August in Beijing
        (dt.datetime(2025, 7, 31, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))), fr.LATE),
        (dt.datetime(2025, 7, 1, 0, 0, tzinfo=BJ), fr.ON_TIME),
    ],
)
def test_half_year_deadline_is_31_july_inclusive_beijing_time(instant: dt.datetime, status: str) -> None:
    assert state(H1_2025, Sub("2025-H1", 1, instant)).status == status


def test_annual_deadline_is_31_january_of_the_next_year() -> None:
    on_time = Sub("2025", 1, dt.datetime(2026, 1, 31, 23, 59, 59, tzinfo=BJ))
    late = Sub("2025", 1, dt.datetime(2026, 1, 31, 16, 0, tzinfo=UTC))  # = 1 Feb 00:00 Beijing
    assert state(Y2025, on_time).status == fr.ON_TIME
    assert state(Y2025, late).status == fr.LATE


def test_unsubmitted_report_before_on_and_after_the_due_day() -> None:
    assert state(H1_2025, as_of=D(2025, 7, 30)).status == fr.PENDING
    assert state(H1_2025, as_of=D(2025, 7, 31)).status == fr.PENDING  # the due day itself
    assert state(H1_2025, as_of=D(2025, 8, 1)).status == fr.OVERDUE


def test_a_submission_counts_only_as_of_its_own_date() -> None:
    sub = Sub("2025-H1", 1, dt.datetime(2025, 8, 5, 10, 0, tzinfo=BJ))
    assert state(H1_2025, sub, as_of=D(2025, 8, 4)).status == fr.OVERDUE
    assert state(H1_2025, sub, as_of=D(2025, 8, 5)).status == fr.LATE
    early = Sub("2025-H1", 1, dt.datetime(2025, 7, 20, 10, 0, tzinfo=BJ))
    assert state(H1_2025, early, as_of=D(2025, 7, 19)).status == fr.PENDING
    assert state(H1_2025, early, as_of=D(2025, 7, 20)).status == fr.ON_TIME


def test_submissions_of_other_periods_do_not_count() -> None:
    other = Sub("2024", 1, dt.datetime(2025, 1, 10, tzinfo=BJ))
    assert state(H1_2025, other, as_of=D(2025, 8, 1)).status == fr.OVERDUE


# --- returns: lateness judged by the first submission ----------------------------------------------------


def test_returned_report_and_resubmission_keep_the_first_submissions_timeliness() -> None:
    first = Sub("2025-H1", 1, dt.datetime(2025, 7, 20, tzinfo=BJ), returned_at=dt.datetime(2025, 7, 25, tzinfo=BJ))
    second = Sub("2025-H1", 2, dt.datetime(2025, 8, 20, tzinfo=BJ))
    assert state(H1_2025, first, as_of=D(2025, 7, 24)).status == fr.ON_TIME
    returned = state(H1_2025, first, as_of=D(2025, 7, 25))
    assert returned.status == fr.RETURNED and returned.on_time is True
    assert state(H1_2025, first, as_of=D(2025, 8, 10)).status == fr.RETURNED  # returned is not overdue
    again = state(H1_2025, first, second, as_of=D(2025, 8, 20))
    assert again.status == fr.ON_TIME  # resubmitted after the due date, yet on time: the first counts
    assert again.first_submitted_at == first.submitted_at and again.latest_version == 2


def test_late_first_submission_stays_late_after_a_return() -> None:
    first = Sub("2025-H1", 1, dt.datetime(2025, 8, 2, tzinfo=BJ), returned_at=dt.datetime(2025, 8, 3, tzinfo=BJ))
    second = Sub("2025-H1", 2, dt.datetime(2025, 8, 4, tzinfo=BJ))
    assert state(H1_2025, first, second).status == fr.LATE


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        fr.beijing_date(dt.datetime(2025, 7, 31, 12, 0))  # noqa: DTZ001


def test_every_status_is_reachable() -> None:
    seen = {
        state(H1_2025, as_of=D(2025, 7, 1)).status,
        state(H1_2025, as_of=D(2025, 8, 1)).status,
        state(H1_2025, Sub("2025-H1", 1, dt.datetime(2025, 7, 2, tzinfo=BJ))).status,
        state(H1_2025, Sub("2025-H1", 1, dt.datetime(2025, 8, 2, tzinfo=BJ))).status,
        state(
            H1_2025, Sub("2025-H1", 1, dt.datetime(2025, 7, 2, tzinfo=BJ), dt.datetime(2025, 7, 3, tzinfo=BJ))
        ).status,
    }
    assert seen == set(fr.STATUSES)
