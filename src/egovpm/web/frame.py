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
from django.template.loader import render_to_string
from django.utils.translation import get_language

from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core.errors import Forbidden, NotFound
from egovpm.web import registry
from egovpm.web.inbox import FORM_TOKEN, NotKept, kept_under_records, reader, with_form_token

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
    # the forms' CSRF token put in by each response (web.inbox.FORM_TOKEN): the part may be kept
    context = {"project": project, "tab": key, **content, "csrf_token": FORM_TOKEN}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and htmx.target == "tab-panel":
        part: dict[str, str] = {"panel": str(render_to_string(tab.template, context, request))}
    else:
        context.update(frame.context(request, project, full, transition_form))
        context.update(
            tabs=[(t.key, t.label, t.url(project)) for t in tabs],
            tab_template=tab.template,
        )
        body = str(render_to_string("web/projects/detail_body.html", context, request))
        part = {"title": str(project.name), "body": body}
    response = _tab_response(request, part, status)
    response.kept_part = part  # type: ignore[attr-defined]  # what KeptTabMiddleware keeps of a GET
    return response


def _tab_response(request: HttpRequest, part: dict[str, str], status: int = 200) -> HttpResponse:
    """The tab's panel alone (htmx), or the project page around the frame and the tab."""
    if "panel" in part:
        return HttpResponse(with_form_token(request, part["panel"]), status=status)
    body = with_form_token(request, part["body"])
    return render(request, "web/projects/detail.html", {"title": part["title"], "body": body}, status=status)


class KeptTabMiddleware:
    """A project tab read with GET (a route of web.registry.TABS) is rendered once and kept under the
    records' stamp (ADR 0020) for this reader (`web.inbox.reader`: the user, department and roles),
    language, address and htmx headers; what is kept is what `render_tab` rendered (the frame and
    the tab, its forms' token put in by each response), never a redirect, an error or a download.
    The view's own checks ran when the part was kept: the same reader at the same records reads the
    same part (a change of scope or role is an audited write)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponseBase], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        if request.method != "GET" or match is None or not getattr(user, "is_authenticated", False):
            return None
        # every authenticated GET passes here: the registered tabs as they are, not sorted for display
        if not any(t.url_name == match.view_name for t in registry.TABS.values()):
            return None
        key = repr(
            (
                "tab",
                get_language(),
                reader(user),
                request.headers.get("HX-Request"),
                request.headers.get("HX-Boosted"),
                request.headers.get("HX-Target"),
                request.get_full_path(),
            )
        )
        produced: list[HttpResponseBase] = []

        def compute() -> dict[str, str]:
            response = view(request, *args, **kwargs)
            part = getattr(response, "kept_part", None)
            if response.status_code != 200 or part is None:
                raise NotKept(response)
            produced.append(response)
            return dict(part)

        try:
            part = kept_under_records(key, compute)
        except NotKept as refused:
            return refused.response
        return produced[0] if produced else _tab_response(request, part)
