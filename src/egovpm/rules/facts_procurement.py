"""Facts of the procurement app for the rules (clauses 五 and 十一): plain frozen dataclasses, no
Django. `ProjectFacts.procurement` holds one ProcurementFacts: the procurements whose contract is
dated on or before `as_of`, their 自主可控 shares (procurement.shares, api.md's shape) and the
project's delivery modes (which carry no date: they are what is recorded now)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ProcurementItemFact:
    category: str
    method: str
    subject: str
    amount: Decimal
    secure_controllable: bool
    non_tender_reason: str
    contract_date: dt.date


@dataclass(frozen=True)
class DeliveryModeFact:
    mode: str  # service_outsourcing | data_hosting
    provider: str
    scope: str
    contract_reference: str = ""


@dataclass(frozen=True)
class ProcurementFacts:
    items: tuple[ProcurementItemFact, ...] = ()
    shares: Mapping[str, Any] = field(default_factory=dict)
    modes: tuple[DeliveryModeFact, ...] = ()
