"""Plain facts the checks judge: frozen dataclasses, no Django. Each domain app turns its
records into these (projects/facts.py); a field left as None means "this kind of record is not
part of the product yet", and the checks that need it answer not_applicable, never pass."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StageEventFact:
    action: str
    from_stage: str
    to_stage: str
    effective_date: dt.date
    approval_reference: str = ""


@dataclass(frozen=True)
class DocumentFact:
    stage: str
    category: str
    uploaded_on: dt.date
    archived: bool = False


@dataclass(frozen=True)
class ProjectFacts:
    stage: str
    lead_department_kind: str
    participating_department_kinds: tuple[str, ...] = ()
    joint_central_local: bool = False
    responsible_leader_name: str = ""
    responsible_leader_title: str = ""
    business_unit: str = ""
    technical_unit: str = ""
    service_outsourcing: bool = False
    data_hosting: bool = False
    events: tuple[StageEventFact, ...] = ()
    documents: tuple[DocumentFact, ...] = ()
    # Records that later releases bring (budget, reports, reviews, systems, archives, ...).
    estimate: object | None = None
    adjustments: object | None = None
    spending: object | None = None
    reports: object | None = None
    procurement: object | None = None
    systems: object | None = None
    risk_assessments: object | None = None
    archive_acceptances: object | None = None
    inspections: object | None = None
    evaluations: object | None = None
    expert_reviews: object | None = None
    co_authors: object | None = None
    filing_scope: object | None = None
    # The earliest date after `as_of` on which a record of the project that is not counted yet
    # (dated in the future) takes effect; None when there is none. Stored verdicts hold at most
    # until the day before (egovpm.compliance).
    horizon: dt.date | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What the check is asked about: compliance as of a date, or a gate for an action now."""

    as_of: dt.date
    action: str | None = None
    effective_date: dt.date | None = None
