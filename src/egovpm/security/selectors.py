"""Reads of the security app, always through the project's scope (404 outside it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from egovpm.accounts.models import User
from egovpm.core.errors import NotFound
from egovpm.projects import policies
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project, StageEvent
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


def risk_assessment_todo(*, user: User) -> QuerySet[Project]:
    """待办 of the lead department: its projects in trial operation with no risk assessment on or
    after the (latest) start of trial operation — C6.2 will block their preliminary acceptance. One
    query, the longest in trial operation first; the caller bounds it."""
    if not user.has_role(*policies.DEPT_ROLES) or not user.department_id:
        return Project.objects.none()
    started = (
        StageEvent.objects.filter(project_id=OuterRef("pk"), action="start_trial_operation")
        .order_by("-effective_date")
        .values("effective_date")[:1]
    )
    assessed = RiskAssessment.objects.filter(project_id=OuterRef("pk"), assessed_on__gte=OuterRef("trial_from"))
    return (
        policies.restrict(user)
        .filter(stage=Stage.TRIAL_OPERATION, lead_department_id=user.department_id)
        .annotate(trial_from=Subquery(started))
        .filter(trial_from__isnull=False)
        .filter(~Exists(assessed))
        .order_by("trial_from", "code")
    )
