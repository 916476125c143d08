"""Facts of the security app for the rules (clauses 六 and 九): plain frozen dataclasses, no Django.

`ProjectFacts.systems` holds a tuple of SystemFact (the information systems recorded by `as_of`);
`ProjectFacts.risk_assessments` a tuple of RiskAssessmentFact (those dated on or before `as_of`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PURPOSES = ("internal_office", "public_service")
NETWORKS = ("gov_intranet", "gov_extranet", "dedicated_existing", "dedicated_new", "internet")
TIERS = ("confidential", "secret", "top_secret")


@dataclass(frozen=True)
class SystemFact:
    name: str
    purpose: str  # internal_office | public_service
    network: str  # one of NETWORKS
    is_new: bool
    protection_level: int | None = None  # 等级保护 1–5
    classified_tier: str = ""  # 分级保护 confidential | secret | top_secret
    protection_in_needs_analysis: bool = False
    protection_in_design: bool = False
    filing_number: str = ""  # 公安机关备案编号 (level ≥ 2)
    filing_date: dt.date | None = None
    evaluation_date: dt.date | None = None  # 等级测评 (level ≥ 3)
    evaluation_result: str = ""
    migration_target_date: dt.date | None = None
    exception_reason: str = ""  # NDRC's recorded exception to "no new dedicated network"
    exception_granted_on: dt.date | None = None

    @property
    def graded(self) -> bool:
        return self.protection_level is not None or bool(self.classified_tier)

    @property
    def excepted(self) -> bool:
        # NDRC excepted a new dedicated network for this system; once the system is moved to any
        # other network the exception no longer speaks for it (C9.1/C9.2 judge it afresh).
        return self.exception_granted_on is not None and self.network == "dedicated_new"


@dataclass(frozen=True)
class RiskAssessmentFact:
    assessed_on: dt.date
    assessor: str = ""
