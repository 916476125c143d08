"""Records of the security app → plain facts for C6.x and C9.x (rules/facts_security.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from egovpm.core.clock import BEIJING
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.rules.facts_security import RiskAssessmentFact, SystemFact
from egovpm.security.models import InformationSystem, RiskAssessment

ONE_DAY = dt.timedelta(days=1)


def _system_fact(s: InformationSystem, as_of: dt.date) -> SystemFact:
    granted = s.exception_at.astimezone(BEIJING).date() if s.exception_at else None
    if granted is not None and granted > as_of:
        granted = None
    return SystemFact(
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


def security_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: systems recorded on or before `as_of` (as they stand now) and the risk
    assessments dated on or before it. An exception counts from the day NDRC recorded it.

    The horizon: the first system recorded, exception granted or risk assessment dated after
    `as_of`, and the dates stored on a system that the checks compare with as_of (C6.3's filing
    and evaluation dates; C9.3's migration target, overdue from the day after it)."""
    ids = project_ids(projects)
    horizons = Horizons(as_of)
    systems: dict[Any, list[SystemFact]] = defaultdict(list)
    for s in InformationSystem.objects.filter(project_id__in=ids).order_by("project_id", "created_at", "name"):
        created_on = s.created_at.astimezone(BEIJING).date()
        granted_on = s.exception_at.astimezone(BEIJING).date() if s.exception_at else None
        overdue_from = s.migration_target_date + ONE_DAY if s.migration_target_date else None
        horizons.see(s.project_id, created_on, granted_on, s.filing_date, s.evaluation_date, overdue_from)
        if created_on <= as_of:
            systems[s.project_id].append(_system_fact(s, as_of))
    assessments: dict[Any, list[RiskAssessmentFact]] = defaultdict(list)
    rows = (
        RiskAssessment.objects.filter(project_id__in=ids)
        .order_by("project_id", "assessed_on", "created_at")
        .values_list("project_id", "assessed_on", "assessor")
    )
    for pk, assessed_on, assessor in rows:
        if assessed_on <= as_of:
            assessments[pk].append(RiskAssessmentFact(assessed_on=assessed_on, assessor=assessor))
        else:
            horizons.see(pk, assessed_on)
    return {
        p.pk: {
            "systems": tuple(systems.get(p.pk, ())),
            "risk_assessments": tuple(assessments.get(p.pk, ())),
            "horizon": horizons.get(p.pk),
        }
        for p in projects
    }
