"""The project page frame, public to every app: the header, the stage actions, the timeline and the
tab strip around one tab's content. A tab's view (in its own app) calls `render_tab` for GET, and
again with its bound forms and a 4xx status when a POST is refused — nothing travels on the request.
The projects app supplies the frame's project part (web.registry.ProjectFrame): web imports no
domain app. Out-of-scope projects answer 404 exactly as in the API; a tab outside the user's scope too."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core.errors import Forbidden, NotFound
from egovpm.web import registry

if TYPE_CHECKING:
    from egovpm.accounts.models import User


def domain_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """NotFound → 404 page, Forbidden → 403 page; other refusals are handled by the view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as e:
            raise Http404(e.message)
        except Forbidden as e:
            raise PermissionDenied(e.message)

    return wrapper


def visible_tabs(user: User, project: Any, *, full: bool | None = None) -> list[registry.ProjectTab]:
    """The tabs the user sees: all of them with the read scope, else the summary's."""
    if full is None:
        full = registry.project_frame().reads_file(user, project)
    return [t for t in registry.tabs() if full or t.scope == "summary"]


def render_tab(
    request: AuthenticatedHttpRequest,
    project: Any,
    key: str,
    content: dict[str, Any],
    *,
    status: int = 200,
    transition_form: Any = None,
) -> HttpResponse:
    """Render the project page frame with the tab `key` showing `content` (its template's context).
    An htmx request for the tab panel gets the panel alone. A tab the user may not read is a 404
    (a refused form re-displayed must not show a tab outside the read scope either)."""
    user = request.user
    frame = registry.project_frame()
    full = frame.reads_file(user, project)
    tabs = visible_tabs(user, project, full=full)
    tab = registry.TABS.get(key)
    if tab is None or tab not in tabs:
        raise Http404("project not found")
    context = {"project": project, "tab": key, **content}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and htmx.target == "tab-panel":
        return render(request, tab.template, context, status=status)
    context.update(frame.context(request, project, full, transition_form))
    context.update(
        tabs=[(t.key, t.label, t.url(project)) for t in tabs],
        tab_template=tab.template,
    )
    return render(request, "web/projects/detail.html", context, status=status)
