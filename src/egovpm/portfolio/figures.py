"""The seam for figures whose records are not part of the product yet (domain.md §11, §13).

Procurement (自主可控 shares by category, C5.1) and inspections (rectification items open and
overdue, C8.1) do not exist yet. The summary answers their figures with a "not recorded" shape —
`null` — never an invented number. When those modules arrive they register a provider here from
their AppConfig.ready(), and the summary (and the cockpit) show what they return:

    from egovpm.portfolio.figures import register_figure
    register_figure("rectifications", rectification_figures)

A provider is `(projects, as_of, today) -> value`: `projects` is the caller's scoped, filtered
QuerySet of Project (never iterate it: aggregate over it, a fixed number of queries whatever its
size); `as_of` the date asked for; `today` whether that is today (stored rows may serve) or not
(the records dated on or before `as_of` must). Its value must be JSON-serialisable (Decimals as
strings), the same shape every time: `rectifications` is {"open": n, "overdue": n};
`procurement_shares` is {category: {"amount": "0.4500", "count": "0.5000"}}; `post_evaluations`
is {conclusion: n} (the evaluations dated on or before `as_of`, every conclusion present)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from egovpm.projects.models import Project

FigureProvider = Callable[[QuerySet[Project], dt.date, bool], Any]

# The figures of later modules and what they answer until a provider is registered.
PENDING: dict[str, Any] = {
    "rectifications": {"open": None, "overdue": None},
    "procurement_shares": None,
    "post_evaluations": None,
}
_providers: dict[str, FigureProvider] = {}


def register_figure(name: str, provider: FigureProvider) -> None:
    if name not in PENDING:
        raise KeyError(f"unknown portfolio figure {name!r}: one of {sorted(PENDING)}")
    _providers[name] = provider


def recorded(name: str) -> bool:
    """Whether a module records the figure `name` (its provider is registered)."""
    return name in _providers


def pending_figures(projects: QuerySet[Project], as_of: dt.date, today: bool) -> dict[str, Any]:
    """Every figure of a later module: its provider's value, or its "not recorded" shape."""
    return {
        name: (_providers[name](projects, as_of, today) if name in _providers else empty)
        for name, empty in PENDING.items()
    }
