from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def opened(project: Any, personas: dict[str, Any]) -> Any:
    """An inspection in progress on `project` (inspector_assigned its inspector), started 2026-06-01."""
    from egovpm.inspections.services import inspection_open

    return inspection_open(
        actor=personas["ndrc"],
        project_id=project.pk,
        kind="inspection",
        scope=["progress", "budget_execution", "archives"],
        inspectors=["inspector_assigned"],
        co_organisers=["mof"],
        started_on="2026-06-01",
    )


def add_finding(inspection: Any, actor: Any, **kw: Any) -> Any:
    from egovpm.inspections.services import finding_add

    fields: dict[str, Any] = {
        "area": "progress",
        "description": "进度滞后于批复工期",
        "severity": "major",
        "rectification_required": True,
        "due_date": "2026-06-30",
    }
    fields.update(kw)
    return finding_add(actor=actor, inspection_id=inspection.pk, **fields)
