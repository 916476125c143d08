"""Comparing a stored verdict with a fresh full evaluation (the property the stored verdicts keep)."""

from __future__ import annotations

from typing import Any

from egovpm.compliance import services
from egovpm.compliance.models import ProjectVerdict, RuleFailure
from egovpm.core import clock
from egovpm.projects.models import Project
from egovpm.projects.selectors import project_compliance


def full(project: Any) -> dict[str, Any]:
    """What the compliance page computes from the records today, in the stored form."""
    results = project_compliance(project=Project.objects.get(pk=project.pk), as_of=clock.today())["results"]
    health, bad, warn = services.counts((r.status, r.severity) for r in results)
    return {
        "results": [
            {"rule": r.rule, "status": r.status, "key": r.key, "args": services._json_safe(dict(r.args))}
            for r in results
        ],
        "health": health,
        "bad": bad,
        "warn": warn,
        "failing": sorted((r.rule, r.status) for r in results if r.status in ("fail", "error")),
    }


def stored(project: Any) -> dict[str, Any]:
    v = ProjectVerdict.objects.get(pk=project.pk)
    return {
        "results": services.expand(v.results),
        "health": v.health,
        "bad": v.bad,
        "warn": v.warn,
        "failing": sorted(RuleFailure.objects.filter(project_id=project.pk).values_list("rule", "status")),
    }


def is_fresh(project: Any) -> bool:
    from egovpm.compliance.selectors import stale_ids

    return project.pk not in stale_ids([project.pk])
