"""Budget fixtures: a project of moa in construction whose approved estimate is exactly
1 000 000.00 yuan over three sub-projects (so 15 % is 150 000.00)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from conftest import ready_for

STEPS = [
    ("submit_needs_analysis", "staff_a", "draft"),
    ("submit_proposal", "staff_a", "needs_analysis"),
    ("approve_proposal", "ndrc", "proposal"),
    ("approve_feasibility", "ndrc", "feasibility_study"),
    ("approve_preliminary_design", "ndrc", "preliminary_design"),
    ("start_trial_operation", "staff_a", "construction"),
    ("pass_preliminary_acceptance", "leader_a", "trial_operation"),
    ("pass_completion_acceptance", "ndrc", "acceptance"),
]


def advance(project: Any, actor_for: dict[str, Any], upto: str, start: dt.date = dt.date(2024, 1, 10)) -> Any:
    """Walk forward from the project's current stage until it is in `upto` (evidence via ready_for)."""
    from egovpm.projects.services import project_transition

    day = start
    for action, who, source in STEPS:
        if project.stage == upto:
            break
        if project.stage != source:
            continue
        ready_for(project, action, day)
        project = project_transition(
            actor=actor_for[who],
            project_id=project.pk,
            action=action,
            effective_date=day,
            approval_reference="发改高技〔2024〕1号" if action.startswith("approve") else "",
        )
        day += dt.timedelta(days=30)
    assert project.stage == upto, project.stage
    return project


LINES = [("01", "应用系统", "600000.00"), ("02", "基础设施", "300000.00"), ("03", "预备费", "100000.00")]
B = D("1000000.00")


def actors(personas: dict[str, Any]) -> dict[str, Any]:
    return {k: personas[k] for k in ("staff_a", "leader_a", "ndrc")}


def put_estimate(project: Any, actor: Any, lines: list[tuple[str, str, str]] = LINES, total: str = "") -> Any:
    from egovpm.budgets.services import LineIn, estimate_put

    items = [LineIn(c, n, D(a)) for c, n, a in lines]
    return estimate_put(
        actor=actor,
        project_id=project.pk,
        total=D(total) if total else sum((i.amount for i in items), D(0)),
        items=items,
    )


@pytest.fixture
def built(project: Any, personas: dict[str, Any]) -> Any:
    """moa's project in construction with the 1 000 000.00 baseline above."""
    p = advance(project, actors(personas), "preliminary_design")
    put_estimate(p, personas["staff_a"])
    return advance(p, actors(personas), "construction", start=dt.date(2024, 6, 1))


def request(actor: Any, project: Any, items: dict[str, str], reason: str = "optimization", **kw: Any) -> Any:
    from egovpm.budgets.services import LineIn, adjustment_create

    lines = [LineIn(code, kw.pop(f"name_{code}", ""), D(amount)) for code, amount in items.items()]
    return adjustment_create(
        actor=actor,
        project_id=project.pk,
        items=lines,
        goals_unchanged=kw.pop("goals_unchanged", True),
        reason=reason,
        description=kw.pop("description", "优化技术方案，调整单项工程投资"),
        **kw,
    )


def decide(actor: Any, adjustment: Any, decision: str = "approve", **kw: Any) -> Any:
    from egovpm.budgets.services import adjustment_decide

    return adjustment_decide(actor=actor, adjustment_id=adjustment.pk, decision=decision, **kw)


def lines_of(project: Any) -> dict[str, D]:
    from egovpm.budgets.models import EstimateLine

    return {li.code: li.amount for li in EstimateLine.objects.filter(estimate__project=project)}


def upload(project: Any, actor: Any, category: str, title: str = "文件") -> Any:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.documents.services import document_upload

    return document_upload(
        actor=actor,
        project_id=project.pk,
        file=SimpleUploadedFile(f"{category}.pdf", f"%PDF-1.4 {title}".encode(), content_type="application/pdf"),
        stage="construction",
        category=category,
        title=title,
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )
