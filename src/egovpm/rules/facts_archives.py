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
    passed = stages_passed(events)
    # one pass over the documents: [on file, archived] per category and per (category, stage)
    per_category: dict[str, list[int]] = {}
    per_stage: dict[tuple[str, str], list[int]] = {}
    for d in documents:
        archived = 1 if d.archived else 0
        for tally in (
            per_category.setdefault(d.category, [0, 0]),
            per_stage.setdefault((d.category, d.stage), [0, 0]),
        ):
            tally[0] += 1
            tally[1] += archived
    none = (0, 0)
    out = []
    for item, several in _shared_categories(scope):
        if several:
            matches, archived_count = per_stage.get((item.category, item.stage), none)
        else:
            matches, archived_count = per_category.get(item.category, none)
        out.append(ScopeItemStatus(item, item.stage in passed, matches, archived_count))
    return out


def _shared_categories(scope: FilingScope) -> tuple[tuple[ScopeItem, bool], ...]:
    """Each item of the scope with whether its category is listed under several stages (kept per
    scope object: the pack's scope is judged for every project)."""
    kept = _scope_memo.get(id(scope))
    if kept is not None and kept[0] is scope:
        return kept[1]
    stages_per_category = Counter(i.category for i in scope.items)
    items = tuple((item, stages_per_category[item.category] > 1) for item in scope.items)
    if len(_scope_memo) > 64:
        _scope_memo.clear()
    _scope_memo[id(scope)] = (scope, items)
    return items


_scope_memo: dict[int, tuple[FilingScope, tuple[tuple[ScopeItem, bool], ...]]] = {}
