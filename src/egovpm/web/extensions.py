"""Where the domain apps plug into the UI without the web app importing them: project-detail
tabs, navigation entries and 待办 (inbox) items. Each app registers in its AppConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class ProjectTab:
    key: str
    title: Any  # lazy translation
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    order: int = 50


@dataclass(frozen=True)
class NavItem:
    key: str  # also the key of the "coming" placeholder it replaces
    label: Any
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the user: what, on which project, by when, and where to act."""

    title: str
    url: str
    project: Any = None
    due: dt.date | None = None
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


TABS: dict[str, ProjectTab] = {}
NAV: dict[str, NavItem] = {}
INBOX: list[Callable[[Any], list[InboxItem]]] = []


def register_tab(tab: ProjectTab) -> None:
    TABS[tab.key] = tab


def register_nav(item: NavItem) -> None:
    NAV[item.key] = item


def register_inbox(provider: Callable[[Any], list[InboxItem]]) -> None:
    if provider not in INBOX:
        INBOX.append(provider)
