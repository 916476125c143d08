"""Project records → plain facts for the rules engine. Other apps add their own records through
`register_fact_provider` (called from their AppConfig.ready), so dependencies point one way."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from egovpm.projects.models import Project
from egovpm.rules.facts import ProjectFacts, StageEventFact

FactProvider = Callable[[Project, dt.date], dict[str, Any]]
_providers: list[FactProvider] = []


def register_fact_provider(provider: FactProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def project_facts_batch(*, projects: Sequence[Project], as_of: dt.date) -> dict[Any, ProjectFacts]:
    """The facts of many projects at once, keyed by project pk; each equal to what
    `project_facts` gives for that project alone (the stored verdicts rely on it)."""
    return {p.pk: project_facts(project=p, as_of=as_of) for p in projects}


def project_facts(*, project: Project, as_of: dt.date) -> ProjectFacts:
    """The project's records whose own dates lie on or before `as_of` (domain.md §4)."""
    events = tuple(
        StageEventFact(
            action=e.action,
            from_stage=e.from_stage,
            to_stage=e.to_stage,
            effective_date=e.effective_date,
            approval_reference=e.approval_reference,
        )
        for e in project.events.all()
        if e.effective_date <= as_of
    )
    stage = events[-1].to_stage if events else "draft"
    facts = ProjectFacts(
        stage=stage,
        lead_department_kind=project.lead_department.kind,
        participating_department_kinds=tuple(d.kind for d in project.participating_departments.all()),
        joint_central_local=project.joint_central_local,
        responsible_leader_name=project.responsible_leader_name,
        responsible_leader_title=project.responsible_leader_title,
        business_unit=project.business_unit,
        technical_unit=project.technical_unit,
        service_outsourcing=project.service_outsourcing,
        data_hosting=project.data_hosting,
        events=events,
    )
    for provider in _providers:
        facts = dataclasses.replace(facts, **provider(project, as_of))
    return facts
