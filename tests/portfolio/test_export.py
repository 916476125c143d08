"""The project list as XLSX (`GET /api/v1/projects/export`, the list page's export): the rows of the
list with the same filters — the cockpit's drill-down — read back with openpyxl; text that looks
like a formula stays text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+86 平台", "-负责人", "@组"]


def _sheet(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", cell.value  # never a formula
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_formula_like_text_reads_back_as_the_text_it_is(personas: dict[str, Any], api: Any) -> None:
    from conftest import make_project

    made = [make_project(personas["staff_a"], name=name, business_unit=name) for name in FORMULA_LIKE]
    answer = api("ndrc").get(reverse("api:project-export"))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(answer.content)
    assert rows[0][:2] == ["项目代码", "项目名称"]
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {p.code for p in made}
    for p in made:
        assert by_code[p.code][1] == p.name
        assert by_code[p.code][9] == p.name  # business unit


def test_the_export_has_the_lists_filters_and_the_callers_scope(personas: dict[str, Any], api: Any) -> None:
    from conftest import make_project

    red = make_project(personas["staff_a"], name="无负责人", responsible_leader_name="")  # C2.1 fails: red
    green = make_project(personas["staff_a"], name="齐全")
    other = make_project(personas["staff_b"], name="乙部委项目")
    codes = lambda answer: {r[0] for r in _sheet(answer.content)[1:]}  # noqa: E731
    assert codes(api("ndrc").get(reverse("api:project-export"), {"health": "red"})) == {red.code}
    assert codes(api("ndrc").get(reverse("api:project-export"), {"rule": "C2.1"})) == {red.code}
    assert codes(api("ndrc").get(reverse("api:project-export"))) == {red.code, green.code, other.code}
    assert codes(api("staff_b").get(reverse("api:project-export"))) == {other.code}
    assert codes(api("staff_b").get(reverse("api:project-export"), {"department": "moa"})) == set()
    year = red.code[:4]
    assert codes(api("ndrc").get(reverse("api:project-export"), {"year": year})) == {red.code, green.code, other.code}
    assert codes(api("ndrc").get(reverse("api:project-export"), {"year": "1999"})) == set()
    bad = api("ndrc").get(reverse("api:project-export"), {"health": "purple"})
    assert bad.status_code == 400 and "health" in bad.json()["details"]
    # the list page's link: the same file for the browser
    c = Client()
    c.force_login(personas["ndrc"])
    page = c.get(reverse("web:project_export"), {"health": "red"})
    assert page.status_code == 200 and codes(page) == {red.code}


def test_an_assigned_expert_exports_the_project_without_its_verdict(project: Any, api: Any) -> None:
    """An expert assigned to a review finds the project in the export (the list's summary scope),
    but the health and rule-count columns stay empty for them; NDRC's file has them."""
    rows = _sheet(api("expert_assigned").get(reverse("api:project-export")).content)
    header, by_code = rows[0], {r[0]: r for r in rows[1:]}
    columns = [header.index(name) for name in header if name in ("健康度", "违规", "警示")]
    assert len(columns) == 3, header
    assert [by_code[project.code][i] for i in columns] == [None, None, None]
    ndrc = {r[0]: r for r in _sheet(api("ndrc").get(reverse("api:project-export")).content)[1:]}
    assert all(ndrc[project.code][i] not in (None, "") for i in columns)
