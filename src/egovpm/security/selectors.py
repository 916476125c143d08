"""Reads of the security app, always through the project's scope (404 outside it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from egovpm.accounts.models import User
from egovpm.core.errors import NotFound
from egovpm.projects import policies
from egovpm.projects.models import Project
from egovpm.security.errors import SecurityError
from egovpm.security.models import InformationSystem, RiskAssessment


def system_list(*, user: User, project_id: Any) -> QuerySet[InformationSystem]:
    project = policies.project_for(user, project_id, "view")
    return project_systems(project=project)


def project_systems(*, project: Project) -> QuerySet[InformationSystem]:
    return (
        InformationSystem.objects.filter(project=project).select_related("exception_by").order_by("created_at", "name")
    )


def system_for(*, user: User, system_id: Any, for_update: bool = False) -> InformationSystem:
    """A system whose project the user may see, else NotFound."""
    try:
        pk = uuid.UUID(str(system_id))
    except ValueError:
        raise NotFound(SecurityError.SYSTEM_NOT_FOUND) from None
    qs = InformationSystem.objects.filter(pk=pk, project__in=policies.restrict(user, "view")).select_related(
        "project", "project__lead_department", "exception_by"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    system = qs.first()
    if system is None:
        raise NotFound(SecurityError.SYSTEM_NOT_FOUND)
    return system


def risk_assessment_list(*, user: User, project_id: Any) -> QuerySet[RiskAssessment]:
    project = policies.project_for(user, project_id, "view")
    return project_risk_assessments(project=project)


def project_risk_assessments(*, project: Project) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(project=project)
        .select_related("document", "created_by")
        .order_by("assessed_on", "created_at")
    )
