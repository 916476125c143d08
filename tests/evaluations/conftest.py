"""Fixtures of the evaluations tests: a project in operation with approved goals and a report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

try:
    from conftest import advance, make_project
except ImportError:  # pragma: no cover
    from tests.conftest import advance, make_project

GOALS = "建成统一的业务协同平台\n\n  实现跨部门数据共享  \n提升公共服务能力"
APPROVED = ["建成统一的业务协同平台", "实现跨部门数据共享", "提升公共服务能力"]


def upload(personas: dict[str, Any], project: Any, category: str = "post_evaluation_report") -> Any:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.documents.services import document_upload

    return document_upload(
        actor=personas["staff_a"],
        project_id=project.pk,
        file=SimpleUploadedFile("eval.pdf", b"%PDF-1.4 post-evaluation", content_type="application/pdf"),
        stage="in_operation" if category == "post_evaluation_report" else "draft",
        category=category,
        title="后评价报告",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )


@pytest.fixture
def operating(personas: dict[str, Any]) -> Any:
    """moa's project, in operation since 2024-08-07 (walked from 2024-01-10, 30 days a step),
    with three approved goals; inspector_assigned is its evaluator."""
    from egovpm.projects.models import Assignment
    from egovpm.projects.services import assignment_add

    project = make_project(personas["staff_a"], construction_goals=GOALS, participating_departments=["prov"])
    project = advance(project, personas, "in_operation")
    for username, task in (
        ("inspector_assigned", "evaluator"),
        ("archivist_assigned", "archivist"),
        ("expert_assigned", "expert"),
    ):
        if not Assignment.objects.filter(project=project, user__username=username, task=task).exists():
            assignment_add(actor=personas["ndrc"], project_id=project.pk, username=username, task=task)
    return project


@pytest.fixture
def report(operating: Any, personas: dict[str, Any]) -> Any:
    return upload(personas, operating)


def body(report: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "evaluated_on": "2026-11-10",
        "organisation": "某咨询机构",
        "efficiency_score": 85,
        "effect_score": 78,
        "goals": [
            {"goal": APPROVED[0], "rating": "achieved", "evidence": "平台已上线"},
            {"goal": APPROVED[1], "rating": "partly_achieved", "evidence": "部分部门已接入"},
            {"goal": APPROVED[2], "rating": "achieved", "evidence": "办件量提升"},
        ],
        "conclusion": "mostly_successful",
        "report": str(report.pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


IN_OPERATION_SINCE = dt.date(2024, 8, 7)
