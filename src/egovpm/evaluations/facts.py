"""Records of the evaluations app → plain facts for C8.2 (rules/facts_evaluations.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count

from egovpm.evaluations.models import PostEvaluation
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.rules.facts_evaluations import PostEvaluationFact


def evaluation_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: the post-evaluations dated on or before `as_of`, oldest first, each with
    whether it rates every approved goal — one query for the batch. The horizon is the first
    post-evaluation dated after `as_of`. (C8.2's own deadline, derived from the in-operation date
    and the pack's months, is the check's Verdict.until.)"""
    horizons = Horizons(as_of)
    found: dict[Any, list[PostEvaluationFact]] = defaultdict(list)
    rows = (
        PostEvaluation.objects.filter(project_id__any_of=project_ids(projects))
        .annotate(rated=Count("ratings"))
        .order_by("project_id", "evaluated_on", "recorded_at")
        .values_list("project_id", "evaluated_on", "conclusion", "rated", "approved_goals__goals")
    )
    for pk, evaluated_on, conclusion, rated, goals in rows:
        if evaluated_on <= as_of:
            found[pk].append(PostEvaluationFact(evaluated_on, rated == len(goals or []), conclusion))
        else:
            horizons.see(pk, evaluated_on)
    return {p.pk: {"evaluations": tuple(found.get(p.pk, ())), "horizon": horizons.get(p.pk)} for p in projects}
