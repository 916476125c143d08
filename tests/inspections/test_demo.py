"""The demo holds one issued inspection with one closed, one open and one overdue item."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_demo_inspection(personas: dict[str, Any]) -> None:
    from egovpm import demo
    from egovpm.core import clock
    from egovpm.inspections import selectors
    from egovpm.inspections.models import Inspection
    from egovpm.projects.selectors import project_compliance

    demo.load()
    demo.load()  # idempotent
    inspection = Inspection.objects.get()
    assert inspection.state == "report_issued"
    views = selectors.rectifications(project=inspection.project, as_of=clock.today())
    assert sorted((v.state, v.overdue) for v in views) == [("closed", False), ("open", False), ("open", True)]
    c81 = next(r for r in project_compliance(project=inspection.project)["results"] if r.rule == "C8.1")
    assert c81.status == "fail" and inspection.reference in c81.message_zh
