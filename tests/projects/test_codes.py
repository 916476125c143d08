"""Project codes (domain.md §9): sequential, unique, never reused; national-platform codes kept."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import make_project
from egovpm.core.errors import InvalidInput
from egovpm.projects.models import Project

CODE_RE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")


def seq(code: str) -> int:
    return int(code.rsplit("-", 1)[1])


def test_codes_are_sequential_per_prefix(personas: dict[str, Any]) -> None:
    codes = [make_project(personas["staff_a"], name=f"项目{i}").code for i in range(4)]
    assert all(CODE_RE.match(c) for c in codes)
    assert codes == [f"2026-000000-31-01-{n:06d}" for n in (1, 2, 3, 4)]


def test_departments_number_separately(personas: dict[str, Any]) -> None:
    a = make_project(personas["staff_a"]).code
    b = make_project(personas["staff_b"]).code
    p = make_project(personas["staff_p"]).code
    assert a == "2026-000000-31-01-000001"
    assert b == "2026-000000-32-01-000001"
    assert p == "2026-110000-41-01-000001"  # prov's division code and number
    assert len({a, b, p}) == 3


def test_year_comes_from_the_clock(personas: dict[str, Any], clock: Any) -> None:
    import datetime as dt

    # 31 Dec 17:00 UTC is already 1 Jan in Beijing
    clock.set_now(dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC))
    assert make_project(personas["staff_a"]).code.startswith("2027-")


def test_given_code_occupying_next_number_is_skipped(personas: dict[str, Any]) -> None:
    first = make_project(personas["staff_a"]).code
    assert seq(first) == 1
    given = make_project(personas["staff_a"], code="2026-000000-31-01-000002", name="国家平台赋码项目")
    assert given.code == "2026-000000-31-01-000002"
    third = make_project(personas["staff_a"]).code
    assert third == "2026-000000-31-01-000003"
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 3


def test_several_given_codes_in_a_row_are_skipped(personas: dict[str, Any]) -> None:
    for n in (1, 2, 3):
        make_project(personas["staff_a"], code=f"2026-000000-31-01-{n:06d}")
    assert make_project(personas["staff_a"]).code == "2026-000000-31-01-000004"


def test_numbers_are_never_reused_after_deletion(personas: dict[str, Any]) -> None:
    make_project(personas["staff_a"])
    second = make_project(personas["staff_a"])
    assert seq(second.code) == 2
    Project.objects.filter(pk=second.pk).delete()
    assert make_project(personas["staff_a"]).code == "2026-000000-31-01-000003"


def test_given_code_of_another_prefix_does_not_disturb_sequence(personas: dict[str, Any]) -> None:
    make_project(personas["staff_a"], code="2015-000000-31-01-000009")
    assert make_project(personas["staff_a"]).code == "2026-000000-31-01-000001"


@pytest.mark.parametrize(
    "code",
    ["2019-110000-31-02-000777\n", "２０１９-110000-31-02-000777", "2019-110000-31-02-00077７"],
)
def test_service_refuses_codes_that_only_look_valid(code: str, personas: dict[str, Any]) -> None:
    """A trailing newline or non-ASCII digits must not slip past the format check."""
    with pytest.raises(InvalidInput):
        make_project(personas["staff_a"], code=code)
    assert Project.objects.count() == 0
