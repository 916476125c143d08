"""待办 lists that are expensive to count (NDRC's: every project of a stage checked) kept between
requests — never stale: the key carries a stamp that changes with every record (the caller passes
`compliance.stamp.records_stamp()`: every write moves an audit chain's head, and the date), so a kept answer
is reused only while no record has changed. The time-out only bounds the memory."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")
KEEP_SECONDS = 300


_records_stamp: list[Callable[[], str]] = []


def register_records_stamp(stamp: Callable[[], str]) -> None:
    """The app that knows every record's stamp (compliance: `compliance.stamp.records_stamp`)
    registers it here, so that an app below it (projects) can keep an answer under it."""
    _records_stamp[:] = [stamp]


def kept_under_records(key: str, compute: Callable[[], T]) -> T:
    """`kept` under the registered records' stamp; computed afresh when none is registered."""
    if not _records_stamp:
        return compute()
    return kept(key, _records_stamp[0](), compute)


_afresh: ContextVar[bool] = ContextVar("egovpm_kept_afresh", default=False)


@contextmanager
def computed_afresh() -> Iterator[None]:
    """Within it, `kept` computes every answer again and keeps nothing: the query-count pins measure
    what a page costs when no record has been read before (a warm cache would hide a count that
    grows with the rows)."""
    token = _afresh.set(True)
    try:
        yield
    finally:
        _afresh.reset(token)


def kept(key: str, stamp: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it answered under the same `key` (the list and its scope) and `stamp`."""
    if _afresh.get():
        return compute()
    full = "inbox:" + hashlib.sha256(f"{key}\x00{stamp}".encode()).hexdigest()
    hit: T | None = cache.get(full)
    if hit is None:
        hit = compute()
        cache.set(full, hit, KEEP_SECONDS)
    return hit


# What `{% csrf_token %}` writes into a kept part: each response puts the request's own freshly
# masked token in its place (`with_form_token`), so a kept form is valid in every browser of its
# reader and no two responses carry the same token. A NUL: no text of a record can contain one
# (core.validators refuse control characters), and HTML escaping leaves it as it is.
FORM_TOKEN = "\x00form-token\x00"


def with_form_token(request: HttpRequest | None, html: str) -> SafeString:
    """A kept part as this response shows it: the request's CSRF token in its forms."""
    if FORM_TOKEN in html:
        if request is None:
            raise ValueError("a kept part with a form is served with its request")
        html = html.replace(FORM_TOKEN, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our templates


def reader(user: Any) -> tuple[Any, ...]:
    """Who a kept part is for: the user with the department and the roles read for this request — a
    request that read them before a change of either, and the stamp after it, keeps its part under
    the old ones, never served to the user as they are now."""
    roles = getattr(user, "role_set", None) or ()
    return (getattr(user, "pk", None), getattr(user, "department_id", None), tuple(sorted(roles)))


def kept_html(
    key: str, template: str, context: Callable[[], dict[str, Any]], request: HttpRequest | None = None
) -> SafeString:
    """`template` rendered with `context()` in the reader's language, kept under the records'
    stamp (ADR 0020): the part of a page that is a function of the records, the reader (in `key`:
    `reader(user)` or the scope whose figures they share) and the date alone — no "minutes ago";
    what it reads of `request` (htmx's headers) in `key` too; its forms' CSRF token put in by each
    response (FORM_TOKEN). A page renders the rest (the frame: messages, the unread count) every time."""

    def render() -> str:
        return str(render_to_string(template, {**context(), "csrf_token": FORM_TOKEN}, request=request))

    return with_form_token(request, kept_under_records(f"{key}\x00{get_language()}", render))


def render_kept_page(
    request: HttpRequest, template: str, body: str, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """The page `template` (its content block shows `{{ body }}`) around `body` rendered with
    `context()` and kept for this reader at this address (filters, sort, page) and with these htmx
    headers (ADR 0020). `context` does the page's reading: a refused parameter raised there is a
    400 that keeps nothing."""
    key = repr(
        (
            "page",
            body,
            reader(getattr(request, "user", None)),
            request.headers.get("HX-Request"),
            request.headers.get("HX-Boosted"),
            request.get_full_path(),
        )
    )
    return render(request, template, {"body": kept_html(key, body, context, request=request)})


class NotKept(Exception):
    """Raised by a computation whose answer must not be kept (an error, a redirect, a download): it
    carries the response to give this request."""

    def __init__(self, response: Any) -> None:
        self.response = response


def kept_get(get: Callable[..., Any]) -> Callable[..., Any]:
    """An API view's `get` whose JSON is kept under the records' stamp (ADR 0020) for the caller
    (authenticated by DRF before `get` runs: a revoked or expired token never reaches a kept
    answer) with the department and roles read for it (`reader`), at this absolute address
    (filters, pages, cursor; host and scheme for the page links), media type and language (labels
    are translated). Only a 200 is kept; an error
    is answered afresh every time. For reads of audited records only: a GET that writes (audits a
    read, marks something) or lists what is written without an audit record (the reminders'
    messages) must not use it."""

    @functools.wraps(get)
    def wrapper(view: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        # the absolute address: the pages' `next` and `previous` links name the host and scheme asked
        key = repr(
            ("api", get_language(), reader(request.user), request.accepted_media_type, request.build_absolute_uri())
        )

        def compute() -> tuple[bytes, str, list[tuple[str, str]]]:
            response = get(view, request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "data", None) is None:
                raise NotKept(response)
            renderer = request.accepted_renderer
            content = renderer.render(response.data, request.accepted_media_type, view.get_renderer_context())
            media = request.accepted_media_type  # as DRF's Response: a charset only where the renderer has one
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-type"]
            return bytes(content), f"{media}; charset={renderer.charset}" if renderer.charset else media, headers

        try:
            content, content_type, headers = kept_under_records(key, compute)
        except NotKept as refused:
            return refused.response
        return HttpResponse(content, content_type=content_type, headers=dict(headers))

    return wrapper
