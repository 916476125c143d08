"""Reviews records → plain facts for the rules (rules/facts_reviews.py). Registered in apps.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, IntegerField, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce

from egovpm.core.clock import BEIJING
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Participation, Project
from egovpm.reviews.choices import ReviewStatus
from egovpm.reviews.models import ExpertReview, NeedsAnalysis, Opinion, PanelMember
from egovpm.rules.facts_reviews import CoAuthorsFact, ExpertReviewFact


def _count(model: type[Model]) -> Coalesce:
    """How many `model` rows (panel members, opinions) a review has, as a subquery through their
    `review` index: joining both to the reviews and counting distinct ids hashed both tables whole
    for every batch of projects (a batch of 1,000 at 100,000 projects: 87 → 15 ms)."""
    rows = model._default_manager.filter(review=OuterRef("pk")).order_by().values("review")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0)


def _day(instant: dt.datetime | None) -> dt.date | None:
    return instant.astimezone(BEIJING).date() if instant is not None else None


def review_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: panels formed on or before `as_of`, oldest first, a conclusion counting only
    if made by then (domain.md §4); the local participants and the needs analysis' co-authors as
    recorded by then. The horizon is the first panel formed, conclusion made or needs analysis
    recorded (Beijing dates) after `as_of`."""
    ids = project_ids(projects)
    horizons = Horizons(as_of)
    reviews: dict[Any, list[ExpertReviewFact]] = defaultdict(list)
    rows = (
        ExpertReview.objects.filter(project_id__any_of=ids)
        .annotate(panel_size=_count(PanelMember), opinion_count=_count(Opinion))
        .order_by("project_id", "number")
        .values_list("project_id", "formed_at", "status", "conclusion", "concluded_at", "panel_size", "opinion_count")
    )
    for pk, formed_at, status, conclusion, concluded_at, panel_size, opinion_count in rows:
        formed_on = _day(formed_at)
        concluded_on = _day(concluded_at)
        assert formed_on is not None
        horizons.see(pk, formed_on, concluded_on)
        if formed_on > as_of:
            continue
        done = status == ReviewStatus.CONCLUDED and concluded_on is not None and concluded_on <= as_of
        reviews[pk].append(
            ExpertReviewFact(
                formed_on=formed_on,
                panel_size=panel_size,
                opinions=opinion_count,
                conclusion=conclusion if done else "",
                concluded_on=concluded_on if done else None,
            )
        )
    local: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for pk, code, name in (
        Participation.objects.filter(project_id__any_of=ids, department__kind="local")
        .order_by("project_id", "department__code")
        .values_list("project_id", "department__code", "department__name")
    ):
        local[pk].append((code, name))
    recorded = {
        pk: _day(recorded_at)
        for pk, recorded_at in NeedsAnalysis.objects.filter(project_id__any_of=ids).values_list(
            "project_id", "recorded_at"
        )
    }
    authors: dict[Any, list[str]] = defaultdict(list)
    for pk, code in NeedsAnalysis.co_authors.through.objects.filter(needsanalysis__project_id__any_of=ids).values_list(
        "needsanalysis__project_id", "department__code"
    ):
        authors[pk].append(code)
    out: dict[Any, dict[str, Any]] = {}
    for p in projects:
        recorded_on = recorded.get(p.pk)
        horizons.see(p.pk, recorded_on)
        counted = recorded_on is not None and recorded_on <= as_of
        out[p.pk] = {
            "expert_reviews": tuple(reviews.get(p.pk, ())),
            "co_authors": CoAuthorsFact(
                local_participants=tuple(local.get(p.pk, ())),
                co_authors=tuple(sorted(authors.get(p.pk, ()))) if counted else (),
                recorded_on=recorded_on,
            ),
            "horizon": horizons.get(p.pk),
        }
    return out
