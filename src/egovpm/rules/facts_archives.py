"""Facts of the archives app for the rules (clause 七): plain frozen dataclasses, no Django.

`ProjectFacts.archive_acceptances` holds a tuple of ArchiveAcceptanceFact (dated on or before
`as_of`, in the order they were recorded); `ProjectFacts.filing_scope` one FilingScope (the pack's
table of categories expected per stage). The documents themselves are `ProjectFacts.documents`.

`scope_status` is the one place that decides whether a filing-scope item is on file: the C7.2
check and the archive completeness view both use it, so the warning and the screen never disagree."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from egovpm.rules.facts import DocumentFact, StageEventFact

# Stage actions that leave a stage forward; `return` and `cancel` do not "pass" a stage.
NOT_PASSING = frozenset({"return", "cancel"})


@dataclass(frozen=True)
class ArchiveAcceptanceFact:
    accepted_on: dt.date
    result: str  # passed | failed
    organizer: str = ""


@dataclass(frozen=True)
class ScopeItem:
    stage: str
    category: str
    zh: str
    en: str
    optional: bool = False


@dataclass(frozen=True)
class FilingScope:
    items: tuple[ScopeItem, ...] = ()

    def stages(self) -> list[str]:
        return list(dict.fromkeys(i.stage for i in self.items))


@dataclass(frozen=True)
class ScopeItemStatus:
    item: ScopeItem
    due: bool  # the stage has been passed
    matches: int  # documents on file for this item
    archived: int  # of which archived

    @property
    def missing(self) -> bool:
        return self.due and not self.item.optional and self.matches == 0


def scope_from_table(table: dict[str, list[dict[str, object]]] | None) -> FilingScope:
    items = []
    for stage, entries in (table or {}).items():
        for e in entries or []:
            category = str(e["category"])
            items.append(
                ScopeItem(
                    stage=stage,
                    category=category,
                    zh=str(e.get("zh") or category),
                    en=str(e.get("en") or category),
                    optional=bool(e.get("optional", False)),
                )
            )
    return FilingScope(tuple(items))


def stages_passed(events: Iterable[StageEventFact]) -> set[str]:
    return {e.from_stage for e in events if e.action not in NOT_PASSING}


def scope_status(
    scope: FilingScope, documents: Iterable[DocumentFact], events: Iterable[StageEventFact]
) -> list[ScopeItemStatus]:
    """Each scope item with whether it is due and how many documents match it. A category listed
    under one stage only is matched by a document of that category filed under any stage; a
    category listed under several stages (批复, 验收文件) only by one filed under that stage."""
    documents = list(documents)
    passed = stages_passed(events)
    stages_per_category = Counter(i.category for i in scope.items)
    out = []
    for item in scope.items:
        if stages_per_category[item.category] > 1:
            hits = [d for d in documents if d.category == item.category and d.stage == item.stage]
        else:
            hits = [d for d in documents if d.category == item.category]
        out.append(ScopeItemStatus(item, item.stage in passed, len(hits), sum(1 for d in hits if d.archived)))
    return out
