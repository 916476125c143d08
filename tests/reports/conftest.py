"""Helpers of the reports tests: a project in construction from a chosen date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import advance

SECTIONS = {
    "progress": "项目按计划推进，完成了平台主体开发。",
    "content": "完成业务应用系统一期建设。",
    "tendering": "完成应用开发公开招标，中标单位为某科技公司。",
    "budget_execution": "累计完成投资1200万元。",
    "problems": "数据共享协调难度较大。",
}


def start_construction(project: Any, personas: dict[str, Any], start: dt.date) -> Any:
    """Walk `project` to construction so that approve_preliminary_design is effective on `start`."""
    return advance(project, personas, "construction", start=start - dt.timedelta(days=120))


def finish(project: Any, personas: dict[str, Any], day: dt.date) -> Any:
    """Take a project in construction through to completion acceptance effective on `day`."""
    from conftest import ready_for
    from egovpm.projects.services import project_transition

    for action, who, when in (
        ("start_trial_operation", "staff_a", day - dt.timedelta(days=60)),
        ("pass_preliminary_acceptance", "leader_a", day - dt.timedelta(days=30)),
        ("pass_completion_acceptance", "ndrc", day),
    ):
        ready_for(project, action, when)
        project = project_transition(
            actor=personas[who],
            project_id=project.pk,
            action=action,
            effective_date=when,
            approval_reference="发改高技〔2025〕9号",
        )
    return project


@pytest.fixture
def building(project: Any, personas: dict[str, Any]) -> Any:
    """moa's project in construction since 1 March 2025 (owes 2025-H1, 2025, 2026-H1, 2026 on 2026-11-20)."""
    return start_construction(project, personas, dt.date(2025, 3, 1))
