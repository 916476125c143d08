"""Computed health and its disagreement with the self-assessment, over random verdict sets
(hypothesis): the pure functions the cockpit's panel and count use."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from egovpm.compliance.services import counts
from egovpm.portfolio.health import SELF_ASSESSMENTS, Disagreement, disagrees, worst_first

STATUSES = st.sampled_from(["pass", "fail", "not_applicable", "error"])
SEVERITIES = st.sampled_from(["gate", "violation", "warning", "info"])
VERDICTS = st.lists(st.tuples(STATUSES, SEVERITIES), max_size=30)


@given(VERDICTS, st.sampled_from([None, *SELF_ASSESSMENTS]))
def test_a_project_disagrees_exactly_when_something_fails_and_it_says_on_track(
    verdicts: list[tuple[str, str]], assessment: str | None
) -> None:
    health, bad, warn = counts(verdicts)
    failing = any(s == "error" or s == "fail" for s, _sev in verdicts)
    assert disagrees(health, assessment) == (failing and assessment == "on_track")
    # red exactly when a gate/violation fails or anything errors
    assert (health == "red") == any(
        s == "error" or (s == "fail" and sev in ("gate", "violation")) for s, sev in verdicts
    )


@given(st.lists(st.tuples(VERDICTS, st.text(alphabet="0123456789", min_size=3, max_size=3)), max_size=20))
def test_worst_first_puts_every_red_before_any_amber_and_more_failures_first(
    projects: list[tuple[list[tuple[str, str]], str]],
) -> None:
    rows = []
    for verdicts, code in projects:
        health, bad, warn = counts(verdicts)
        if disagrees(health, "on_track"):
            rows.append(Disagreement(code, code, health, bad, warn, "on_track"))
    ordered = worst_first(rows)
    assert sorted(ordered, key=id) == sorted(rows, key=id)
    healths = [r.health for r in ordered]
    assert healths == sorted(healths, key=["red", "amber"].index)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.health == b.health:
            assert (a.bad, a.warn) >= (b.bad, b.warn)
