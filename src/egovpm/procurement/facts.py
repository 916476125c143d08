"""Records of the procurement app → plain facts for C5.1, C5.2 and C11.1
(rules/facts_procurement.py). One query per record kind for the whole batch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from egovpm.procurement.models import DeliveryMode, Procurement
from egovpm.procurement.shares import shares
from egovpm.projects.facts import Horizons, project_ids
from egovpm.projects.models import Project
from egovpm.rules.facts_procurement import DeliveryModeFact, ProcurementFacts, ProcurementItemFact


def procurement_facts(projects: Sequence[Project], as_of: dt.date) -> dict[Any, dict[str, Any]]:
    """Per project: the procurements whose contract_date is on or before `as_of` (in contract
    order), their shares, and the delivery modes; the horizon is the first contract dated after
    `as_of`."""
    ids = project_ids(projects)
    horizons = Horizons(as_of)
    items: dict[Any, list[ProcurementItemFact]] = defaultdict(list)
    rows = (
        Procurement.objects.filter(project_id__any_of=ids)
        .order_by("project_id", "contract_date", "created_at", "pk")
        .values_list(
            "project_id",
            "category",
            "method",
            "subject",
            "amount",
            "secure_controllable",
            "non_tender_reason",
            "contract_date",
        )
    )
    for pk, category, method, subject, amount, secure, reason, day in rows:
        if day <= as_of:
            items[pk].append(ProcurementItemFact(category, method, subject, amount, secure, reason, day))
        else:
            horizons.see(pk, day)
    modes: dict[Any, list[DeliveryModeFact]] = defaultdict(list)
    for pk, mode, provider, scope, reference in (
        DeliveryMode.objects.filter(project_id__any_of=ids)
        .order_by("project_id", "position")
        .values_list("project_id", "mode", "provider", "scope", "contract_reference")
    ):
        modes[pk].append(DeliveryModeFact(mode, provider, scope, reference))
    out: dict[Any, dict[str, Any]] = {}
    for p in projects:
        own = tuple(items.get(p.pk, ()))
        out[p.pk] = {
            "procurement": ProcurementFacts(
                items=own,
                shares=shares((i.category, i.amount, i.secure_controllable) for i in own),
                modes=tuple(modes.get(p.pk, ())),
            ),
            "horizon": horizons.get(p.pk),
        }
    return out
