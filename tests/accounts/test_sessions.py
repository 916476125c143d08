"""UI sessions end after the security policy's idle time without a request, and at the absolute
limit after the login however active the user is (issue 9 item 7; accounts/middleware.py). Time is
the application clock (egovpm.core.clock, pinned by the `clock` fixture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import NOW, PASSWORD
from egovpm.accounts.middleware import SEEN_AT

pytestmark = pytest.mark.django_db


def _logged_in(personas: dict[str, Any]) -> Client:
    c = Client()
    r = c.post(reverse("web:login"), {"username": "staff_a", "password": PASSWORD})
    assert r.status_code == 302
    return c


def _at(clock: Any, delta: dt.timedelta) -> None:
    clock.set_now(NOW + delta)


def _signed_in(c: Client) -> bool:
    r = c.get(reverse("web:inbox"))
    if r.status_code == 302:
        assert r.url.startswith(reverse("web:login"))
        return False
    assert r.status_code == 200
    return True


def test_idle_session_is_logged_out(personas: dict[str, Any], clock: Any, settings: Any) -> None:
    assert settings.EGOVPM_SESSION_IDLE_MINUTES == 30
    c = _logged_in(personas)
    _at(clock, dt.timedelta(minutes=29))
    assert _signed_in(c)  # 29 minutes of quiet: still in (and the activity is recorded)
    _at(clock, dt.timedelta(minutes=29 + 30))
    assert not _signed_in(c)
    assert "_auth_user_id" not in c.session
    # the login page says why
    page = c.get(reverse("web:login")).content.decode()
    assert "30 分钟未操作" in page
    # and the old session cannot be revived by moving on
    _at(clock, dt.timedelta(minutes=29 + 31))
    assert not _signed_in(c)


def test_activity_keeps_the_session_until_the_absolute_limit(
    personas: dict[str, Any], clock: Any, settings: Any
) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    c = _logged_in(personas)
    minutes = 0
    while minutes + 20 < 8 * 60:
        minutes += 20
        _at(clock, dt.timedelta(minutes=minutes))
        assert _signed_in(c), f"logged out after {minutes} minutes of regular activity"
    _at(clock, dt.timedelta(hours=8))
    assert not _signed_in(c)
    assert "最长时限" in c.get(reverse("web:login")).content.decode()


def test_idle_limit_is_the_policy_setting(personas: dict[str, Any], clock: Any, settings: Any) -> None:
    settings.EGOVPM_SESSION_IDLE_MINUTES = 10
    c = _logged_in(personas)
    _at(clock, dt.timedelta(minutes=9))
    assert _signed_in(c)
    _at(clock, dt.timedelta(minutes=19, seconds=30))
    assert not _signed_in(c)


def test_activity_is_written_at_most_once_a_minute(personas: dict[str, Any], clock: Any) -> None:
    c = _logged_in(personas)
    first = c.session[SEEN_AT]
    _at(clock, dt.timedelta(seconds=50))
    assert _signed_in(c)
    assert c.session[SEEN_AT] == first  # no session write for a request within the minute
    _at(clock, dt.timedelta(minutes=2))
    assert _signed_in(c)
    assert c.session[SEEN_AT] == (NOW + dt.timedelta(minutes=2)).isoformat()


def test_an_htmx_request_after_the_timeout_redirects_the_page(
    personas: dict[str, Any], clock: Any, project: Any
) -> None:
    c = _logged_in(personas)
    page = f"/projects/{project.pk}/?tab=documents"
    _at(clock, dt.timedelta(hours=1))
    r = c.get(
        reverse("web:project_documents", kwargs={"pk": project.pk}),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert r.status_code == 204
    assert r["HX-Redirect"].startswith(reverse("web:login") + "?next=")
    assert "tab%3Ddocuments" in r["HX-Redirect"]
    assert not _signed_in(c)


def test_api_tokens_are_not_subject_to_the_session_idle_limit(api: Any, clock: Any) -> None:
    client = api("staff_a")
    _at(clock, dt.timedelta(hours=5))
    assert client.get("/api/v1/me").status_code == 200
