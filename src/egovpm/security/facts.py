"""Records of the security app → plain facts for C6.x and C9.x (rules/facts_security.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from egovpm.core.clock import BEIJING
from egovpm.projects.models import Project
from egovpm.rules.facts_security import RiskAssessmentFact, SystemFact
from egovpm.security.models import InformationSystem, RiskAssessment


def security_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    """Systems recorded on or before `as_of` (as they stand now) and the risk assessments dated on
    or before it. An exception counts from the day NDRC recorded it."""
    systems = []
    for s in InformationSystem.objects.filter(project=project).order_by("created_at", "name"):
        if s.created_at.astimezone(BEIJING).date() > as_of:
            continue
        granted = s.exception_at.astimezone(BEIJING).date() if s.exception_at else None
        if granted is not None and granted > as_of:
            granted = None
        systems.append(
            SystemFact(
                name=s.name,
                purpose=s.purpose,
                network=s.network,
                is_new=s.is_new,
                protection_level=s.protection_level,
                classified_tier=s.classified_tier,
                protection_in_needs_analysis=s.protection_in_needs_analysis,
                protection_in_design=s.protection_in_design,
                filing_number=s.filing_number,
                filing_date=s.filing_date,
                evaluation_date=s.evaluation_date,
                evaluation_result=s.evaluation_result,
                migration_target_date=s.migration_target_date,
                exception_reason=s.exception_reason if granted else "",
                exception_granted_on=granted,
            )
        )
    assessments = tuple(
        RiskAssessmentFact(assessed_on=a.assessed_on, assessor=a.assessor)
        for a in RiskAssessment.objects.filter(project=project, assessed_on__lte=as_of).order_by("assessed_on")
    )
    return {"systems": tuple(systems), "risk_assessments": assessments}
