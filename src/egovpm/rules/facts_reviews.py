"""Facts of the reviews app for the rules (clauses 2 and 10): plain frozen dataclasses, no Django.

`ProjectFacts.expert_reviews` holds a tuple of ExpertReviewFact (the panels formed by `as_of`);
`ProjectFacts.co_authors` holds one CoAuthorsFact (the joint project's local participants and the
departments recorded as co-authors of the needs-analysis report by `as_of`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ExpertReviewFact:
    formed_on: dt.date
    panel_size: int
    opinions: int
    # "" while open (or concluded only after as_of); else approve | revise | reject
    conclusion: str = ""
    concluded_on: dt.date | None = None

    @property
    def concluded(self) -> bool:
        return bool(self.conclusion)


@dataclass(frozen=True)
class CoAuthorsFact:
    # (code, name) of each local participating department
    local_participants: tuple[tuple[str, str], ...] = ()
    # codes of the departments recorded as co-authors of the needs-analysis report
    co_authors: tuple[str, ...] = ()
    recorded_on: dt.date | None = None
