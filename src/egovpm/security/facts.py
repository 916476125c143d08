"""Records of the security app → plain facts for C6.x and C9.x (rules/facts_security.py)."""

from __future__ import annotations

import dataclasses
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


# The system columns the facts read — SystemFact's own fields, but the exception's date, which the
# provider derives from exception_at (values, not model instances: a batch reads a thousand).
_SYSTEM_FIELDS = tuple(f.name for f in dataclasses.fields(SystemFact) if f.name != "exception_granted_on")


def _system_fact(s: dict[str, Any], granted: dt.date | None, as_of: dt.date) -> SystemFact:
    """The system as the checks see it; an exception counts from its Beijing date `granted`."""
    if granted is not None and granted > as_of:
        granted = None
    return SystemFact(
        **{name: s[name] for name in _SYSTEM_FIELDS if name != "exception_reason"},
        exception_reason=s["exception_reason"] if granted else "",
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
    rows = (
        InformationSystem.objects.filter(project_id__any_of=ids)
        .order_by("project_id", "created_at", "name")
        .values("project_id", "created_at", "exception_at", *_SYSTEM_FIELDS)
    )
    for s in rows:
        pk = s["project_id"]
        created_on = s["created_at"].astimezone(BEIJING).date()
        granted_on = s["exception_at"].astimezone(BEIJING).date() if s["exception_at"] else None
        target = s["migration_target_date"]
        overdue_from = target + ONE_DAY if target else None
        horizons.see(pk, created_on, granted_on, s["filing_date"], s["evaluation_date"], overdue_from)
        if created_on <= as_of:
            systems[pk].append(_system_fact(s, granted_on, as_of))
    assessments: dict[Any, list[RiskAssessmentFact]] = defaultdict(list)
    rows = (
        RiskAssessment.objects.filter(project_id__any_of=ids)
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
