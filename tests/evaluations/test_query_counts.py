"""The post-evaluations list (API) and the 后评价 tab answer with a number of queries that does not
grow with the evaluations, their goal ratings and their leaf scores (style.md habit 10)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import body

pytestmark = pytest.mark.django_db

API_LIST = 7  # measured 2026-11 on SQLite: 6, and the records' stamp of the kept JSON (ADR 0020)
TAB = 15  # NDRC with the form: the frame, C8.2's compliance check, the templates; the stamp of the kept tab

TREE = [
    {
        "name": "运行效率",
        "weight": "40",
        "dimension": "efficiency",
        "children": [{"name": "可用性", "weight": "60"}, {"name": "性能", "weight": "40"}],
    },
    {"name": "应用效果", "weight": "60", "dimension": "effect"},
]


def _add(personas: Any, project: Any, report: Any, n: int, template: Any) -> None:
    from egovpm.evaluations.services import post_evaluation_add

    for i in range(n):
        if i % 2:
            extra = {
                "efficiency_score": None,
                "effect_score": None,
                "template": str(template.pk),
                "scores": {"1.1": 80, "1.2": 70, "2": 90},
            }
        else:
            extra = {}
        post_evaluation_add(actor=personas["ndrc"], project_id=project.pk, **body(report, **extra))


def _count(fn: Any) -> int:
    with CaptureQueriesContext(connection) as q:
        fn()
    return len(q.captured_queries)


def test_api_list_and_tab_do_not_grow(api: Any, client: Any, operating: Any, report: Any, personas: Any) -> None:
    from django.urls import reverse

    from egovpm.evaluations.services import template_add

    template = template_add(actor=personas["ndrc"], name="计数模板", indicators=TREE)
    reader = api("staff_a")
    client.force_login(personas["ndrc"])
    url = f"/api/v1/projects/{operating.pk}/post-evaluations"
    tab = reverse("web:project_evaluations", kwargs={"pk": operating.pk})
    counts = []
    for n in (2, 4):
        _add(personas, operating, report, n, template)
        reader.get(url)
        client.get(tab)
        counts.append((_count(lambda: reader.get(url)), _count(lambda: client.get(tab))))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= API_LIST and counts[0][1] <= TAB, counts
    assert counts[0][0] == API_LIST and counts[0][1] == TAB, f"cheaper now: pin {counts[0]}"
