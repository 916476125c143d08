"""Links to one object's page, many times on a page. `reverse()` walks the URL patterns on every
call (about 25 µs): a list of 60 rows with three links each pays it 180 times. `pk_url` reverses a
URL name once (per script prefix and URLconf) with a placeholder primary key and splices the real
one in — the same string `reverse(url_name, kwargs={"pk": pk})` returns, for a UUID."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = uuid.UUID(int=0)
# (url name, script prefix, URLconf) -> the URL around the primary key, or None: not spliceable
_AROUND: dict[tuple[str, str, Any], tuple[str, str] | None] = {}
# (url name, script prefix, URLconf) -> the URL of a route without arguments
_NAMED: dict[tuple[str, str, Any], str] = {}


def named_url(url_name: str) -> str:
    """`reverse(url_name)` of a route without arguments, reversed once (per script prefix and
    URLconf): the navigation links every page draws."""
    key = (url_name, get_script_prefix(), get_urlconf())
    url = _NAMED.get(key)
    if url is None:
        url = _NAMED[key] = reverse(url_name)
    return url


def pk_url(url_name: str, pk: Any) -> str:
    """`reverse(url_name, kwargs={"pk": pk})`, reversed once per URL name when `pk` is a UUID."""
    if not isinstance(pk, uuid.UUID):
        return reverse(url_name, kwargs={"pk": pk})
    key = (url_name, get_script_prefix(), get_urlconf())
    if key not in _AROUND:
        parts = reverse(url_name, kwargs={"pk": _PLACEHOLDER}).split(str(_PLACEHOLDER))
        _AROUND[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    around = _AROUND[key]
    if around is None:
        return reverse(url_name, kwargs={"pk": pk})
    return f"{around[0]}{pk}{around[1]}"
