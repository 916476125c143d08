"""The registry of the UI shell: where the apps plug their pages in without `web` importing them.

A project tab (NetBox's ViewTab idea) is a page of its own app — its own URL, its own GET and POST
view, its own template; the registry knows only what the shell needs to draw the tab strip: the
label, the order, the URL name (kwargs `pk`), who sees it (`scope`), and which compliance rules are
fixed there. The app's view renders the project page frame around its content with
`egovpm.web.frame.render_tab`. Navigation entries and 待办 (inbox) providers register here too.
Each app registers in its `web.py`, imported from its AppConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.urls import reverse

from egovpm.web.links import pk_url

if TYPE_CHECKING:
    from egovpm.accounts.models import User


@dataclass(frozen=True)
class ProjectTab:
    key: str
    label: Any  # lazy translation
    url_name: str  # a route of the app taking `pk`: GET renders the tab in the project frame
    template: str  # the tab's panel (the frame includes it; htmx loads it alone)
    order: int = 50
    # "summary": whoever sees the project (an assigned expert included); "read": the project's
    # file, the read scope of projects.policies.restrict (ADR 0001).
    scope: Literal["summary", "read"] = "read"
    rules: tuple[str, ...] = ()  # rule ids or clauses ("C3", "C10.1") whose records live on this tab

    def url(self, project: Any) -> str:
        return pk_url(self.url_name, project.pk)  # reverse(), once per tab: 待办 and lists link many


@dataclass(frozen=True)
class NavItem:
    key: str  # also the key of the "coming" placeholder it replaces
    label: Any
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50
    # whose home page it is: the first item answering True is where the user lands after signing in
    home: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the user: what, on which project, by when, and where to act."""

    title: str
    url: str
    project: Any = None
    due: dt.date | None = None
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def more_line(count: int, shown: int, title: str, url: str, kind: str) -> list[InboxItem]:
    """The "…and N more" line closing a bounded 待办 list (`title` with %(n)s), linking to the page
    that lists them all; nothing when every item is shown."""
    if count <= shown:
        return []
    more = count - shown
    return [InboxItem(title=title % {"n": more}, url=url, kind=kind, extra={"more": more})]


@dataclass(frozen=True)
class ProjectFrame:
    """What the project page frame needs from the projects app, which registers it (web imports no
    domain app: the dependencies point one way, docs/adr/0001)."""

    reads_file: Callable[[Any, Any], bool]  # (user, project): the read scope, not only the summary
    # (request, project, full, transition_form) -> header, stage actions, timeline, history
    context: Callable[[Any, Any, bool, Any], dict[str, Any]]


TABS: dict[str, ProjectTab] = {}
NAV: dict[str, NavItem] = {}
INBOX: list[Callable[[Any], list[InboxItem]]] = []
# 待办 sections of their own (the projects app's stage actions and 已办): user -> template context
INBOX_SECTIONS: list[Callable[[Any], dict[str, Any]]] = []
# Code vocabularies shown by the label filters of egovpm_ui ("stage" -> Stage, ...)
LABELS: dict[str, Any] = {}
FRAME: list[ProjectFrame] = []
# The project page's "waiting for NDRC: …" lines: (user, project) -> [{"text": who acts next and
# what, "chase": the URL of a 催办 form or ""}], when it is not the user (egovpm.notifications
# registers one, issue 15)
WAITING: list[Callable[[Any, Any], list[dict[str, str]]]] = []


def register_tab(tab: ProjectTab) -> None:
    TABS[tab.key] = tab


def register_nav(item: NavItem) -> None:
    NAV[item.key] = item


def home_url(user: User) -> str | None:
    """The page `user` lands on after signing in when a navigation item claims it (else 待办)."""
    for nav in sorted(NAV.values(), key=lambda n: n.order):
        if nav.home is not None and nav.visible(user) and nav.home(user):
            return reverse(nav.url_name)
    return None


def register_inbox(provider: Callable[[Any], list[InboxItem]]) -> None:
    if provider not in INBOX:
        INBOX.append(provider)


def register_inbox_section(provider: Callable[[Any], dict[str, Any]]) -> None:
    if provider not in INBOX_SECTIONS:
        INBOX_SECTIONS.append(provider)


def register_waiting(provider: Callable[[Any, Any], list[dict[str, str]]]) -> None:
    if provider not in WAITING:
        WAITING.append(provider)


def waiting(user: User, project: Any) -> list[dict[str, str]]:
    """Who the project waits for, and for what, as the registered providers say."""
    return [line for provider in WAITING for line in provider(user, project)]


def register_labels(name: str, choices: Any) -> None:
    LABELS[name] = choices


def register_frame(frame: ProjectFrame) -> None:
    FRAME[:] = [frame]


def project_frame() -> ProjectFrame:
    if not FRAME:
        raise LookupError("no project page frame registered (the projects app registers it in ready())")
    return FRAME[0]


def tabs() -> list[ProjectTab]:
    """Every registered tab, in display order."""
    return sorted(TABS.values(), key=lambda t: (t.order, t.key))


def tab_keys() -> list[str]:
    return [t.key for t in tabs()]


def tab_url(project: Any, key: str) -> str:
    """The page of a project's tab, scrolled to the tab strip."""
    return TABS[key].url(project) + "#tabs"


def tab_for_rule(rule: str) -> ProjectTab | None:
    """The tab holding the records that fix `rule`: an exact rule id first, then its clause."""
    for candidate in (rule, rule.split(".")[0]):
        for tab in tabs():
            if candidate in tab.rules:
                return tab
    return None
