"""Reviews records → plain facts for the rules (rules/facts_reviews.py). Registered in apps.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from egovpm.core.clock import BEIJING
from egovpm.projects.models import Project
from egovpm.reviews.choices import ReviewStatus
from egovpm.rules.facts_reviews import CoAuthorsFact, ExpertReviewFact


def _day(instant: dt.datetime | None) -> dt.date | None:
    return instant.astimezone(BEIJING).date() if instant is not None else None


def review_facts(project: Project, as_of: dt.date) -> dict[str, Any]:
    """Panels formed on or before `as_of`; a conclusion counts only if made by then (domain.md §4)."""
    reviews = []
    for r in project.expert_reviews.prefetch_related("members", "opinions").order_by("formed_at"):
        formed_on = _day(r.formed_at)
        assert formed_on is not None
        if formed_on > as_of:
            continue
        concluded_on = _day(r.concluded_at)
        done = r.status == ReviewStatus.CONCLUDED and concluded_on is not None and concluded_on <= as_of
        reviews.append(
            ExpertReviewFact(
                formed_on=formed_on,
                panel_size=len(r.members.all()),
                opinions=len(r.opinions.all()),
                conclusion=r.conclusion if done else "",
                concluded_on=concluded_on if done else None,
            )
        )
    local = tuple(
        (d.code, d.name) for d in project.participating_departments.all().order_by("code") if d.kind == "local"
    )
    record = getattr(project, "needs_analysis", None)
    recorded_on = _day(record.recorded_at) if record is not None else None
    co_authors: tuple[str, ...] = ()
    if record is not None and recorded_on is not None and recorded_on <= as_of:
        co_authors = tuple(sorted(record.co_authors.values_list("code", flat=True)))
    return {
        "expert_reviews": tuple(reviews),
        "co_authors": CoAuthorsFact(local_participants=local, co_authors=co_authors, recorded_on=recorded_on),
    }
