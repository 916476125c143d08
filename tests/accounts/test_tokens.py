"""API tokens: a lifetime from the security policy, revocation by their holder (DELETE
/api/v1/auth/token), revocation when the user is disabled, and last_used_at written on use
(issue 9 item 7; api.md "Auth" and "Administration")."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import NOW, PASSWORD
from egovpm.accounts import policy
from egovpm.accounts import services as accounts
from egovpm.accounts.models import ApiToken
from egovpm.audit.models import AuditEvent

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/me"


def _token(api: Any, username: str = "staff_a") -> str:
    r = api(None).post(TOKEN, {"username": username, "password": PASSWORD}, format="json")
    assert r.status_code == 200, r.content
    return r.json()["token"]


def _client(api: Any, token: str) -> Any:
    c = api(None)
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return c


def _assert_401(response: Any) -> dict[str, Any]:
    assert response.status_code == 401, response.content
    body = response.json()
    assert {"code", "message", "details"} <= set(body), body
    assert body["code"] == "not_authenticated"
    return body


# --- lifetime -----------------------------------------------------------------------------------


def test_token_expires_after_the_policy_lifetime(api: Any, clock: Any, settings: Any) -> None:
    assert settings.EGOVPM_TOKEN_LIFETIME_DAYS == 30
    client = _client(api, _token(api))
    clock.set_now(NOW + dt.timedelta(days=30) - dt.timedelta(seconds=1))
    assert client.get(ME).status_code == 200
    clock.set_now(NOW + dt.timedelta(days=30))
    body = _assert_401(client.get(ME))
    assert "expired" in body["message"]
    # and it stays dead when the clock is read again later
    clock.set_now(NOW + dt.timedelta(days=400))
    _assert_401(client.get(ME))


def test_token_lifetime_is_the_policy_setting(api: Any, clock: Any, settings: Any) -> None:
    settings.EGOVPM_TOKEN_LIFETIME_DAYS = 1
    token = _token(api)
    stored = ApiToken.objects.get(key_hash=ApiToken.hash(token))
    assert stored.expires_at == NOW + dt.timedelta(days=1)
    client = _client(api, token)
    clock.set_now(NOW + dt.timedelta(hours=23))
    assert client.get(ME).status_code == 200
    clock.set_now(NOW + dt.timedelta(days=1, seconds=1))
    _assert_401(client.get(ME))


def test_policy_keeps_the_lifetime_within_safe_bounds(db: Any, settings: Any) -> None:
    settings.EGOVPM_TOKEN_LIFETIME_DAYS = 100_000
    assert policy.token_lifetime() == dt.timedelta(days=policy.TOKEN_LIFETIME_DAYS_BOUNDS[1])
    settings.EGOVPM_TOKEN_LIFETIME_DAYS = 0
    assert policy.token_lifetime() == dt.timedelta(days=policy.TOKEN_LIFETIME_DAYS_BOUNDS[0])


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("EGOVPM_TOKEN_LIFETIME_DAYS", "0"),
        ("EGOVPM_TOKEN_LIFETIME_DAYS", "366"),
        ("EGOVPM_TOKEN_LIFETIME_DAYS", "30d"),
        ("EGOVPM_SESSION_IDLE_MINUTES", "1"),
        ("EGOVPM_SESSION_IDLE_MINUTES", "100000"),
        ("EGOVPM_SESSION_IDLE_MINUTES", "-5"),
    ],
)
def test_out_of_bounds_policy_settings_are_refused_at_start(variable: str, value: str, tmp_path: Any) -> None:
    env = {**os.environ, "EGOVPM_DEBUG": "1", "EGOVPM_VAR_DIR": str(tmp_path), variable: value}
    env.pop("DATABASE_URL", None)
    code = "import django; from django.conf import settings; settings.INSTALLED_APPS"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


def test_an_issued_token_is_audited_with_its_expiry(api: Any) -> None:
    token = _token(api)
    stored = ApiToken.objects.get(key_hash=ApiToken.hash(token))
    row = AuditEvent.objects.get(action="auth.token_issue", object_id=str(stored.pk))
    assert row.actor_username == "staff_a"
    assert row.new == {"expires_at": stored.expires_at.isoformat()}


# --- revocation ---------------------------------------------------------------------------------


def test_delete_revokes_the_calling_token_only(api: Any) -> None:
    first, second = _token(api), _token(api)
    client, other = _client(api, first), _client(api, second)
    pk = ApiToken.objects.get(key_hash=ApiToken.hash(first)).pk
    r = client.delete(TOKEN)
    assert r.status_code == 204
    assert not r.content
    _assert_401(client.get(ME))
    _assert_401(client.delete(TOKEN))  # a revoked token cannot revoke (or do) anything
    assert other.get(ME).status_code == 200  # the user's other token (another device) still works
    row = AuditEvent.objects.get(action="auth.token_revoke")
    assert (row.actor_username, row.object_id) == ("staff_a", str(pk))


def test_delete_without_a_token_is_401_and_revokes_nothing(api: Any, personas: dict[str, Any]) -> None:
    token = _token(api)
    before = AuditEvent.objects.count()
    _assert_401(api(None).delete(TOKEN))
    bad = api(None)
    bad.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    _assert_401(bad.delete(TOKEN))
    # a UI session has no token to revoke: 401 too (only the Bearer token is accepted here)
    from rest_framework.test import APIClient

    session = APIClient(enforce_csrf_checks=False)
    session.force_login(personas["staff_a"])
    _assert_401(session.delete(TOKEN))
    assert _client(api, token).get(ME).status_code == 200
    assert AuditEvent.objects.count() == before


def test_login_ignores_a_stale_authorization_header(api: Any) -> None:
    """POST /auth/token is the login: a client still sending its revoked token can log in again."""
    client = _client(api, _token(api))
    assert client.delete(TOKEN).status_code == 204
    r = client.post(TOKEN, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert r.status_code == 200


# --- disabling a user ---------------------------------------------------------------------------


def test_disabling_deletes_the_tokens_and_audits_it(api: Any, personas: dict[str, Any]) -> None:
    tokens = [_token(api), _token(api)]
    accounts.user_set(actor=personas["sys_admin"], username="staff_a", active=False)
    assert not ApiToken.objects.filter(user=personas["staff_a"]).exists()
    row = AuditEvent.objects.get(action="user.set", object_id=str(personas["staff_a"].pk))
    assert row.new["tokens_revoked"] == 2
    assert row.new["is_active"] is False
    accounts.user_set(actor=personas["sys_admin"], username="staff_a", active=True)
    for token in tokens:
        _assert_401(_client(api, token).get(ME))


def test_cli_disable_revokes_tokens(api: Any, capsys: Any) -> None:
    from egovpm import cli
    from egovpm.audit.services import current_channel

    client = _client(api, _token(api))
    channel = current_channel.set("system")
    try:
        assert cli.main(["user", "set", "staff_a", "--disable"]) == 0
        assert cli.main(["user", "set", "staff_a", "--enable"]) == 0
    finally:
        current_channel.reset(channel)
    _assert_401(client.get(ME))


# --- last use -----------------------------------------------------------------------------------


def _last_used(token: str) -> dt.datetime | None:
    return ApiToken.objects.get(key_hash=ApiToken.hash(token)).last_used_at


def test_last_used_at_is_written_at_most_once_a_minute(api: Any, clock: Any) -> None:
    token = _token(api)
    client = _client(api, token)
    assert _last_used(token) is None  # issued, not used yet
    assert client.get(ME).status_code == 200
    assert _last_used(token) == NOW

    clock.set_now(NOW + dt.timedelta(seconds=59))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ME).status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert _last_used(token) == NOW  # within the minute: no write

    later = NOW + dt.timedelta(minutes=5)
    clock.set_now(later)
    assert client.get(ME).status_code == 200
    assert _last_used(token) == later


def test_a_refused_token_is_not_marked_as_used(api: Any, clock: Any) -> None:
    token = _token(api)
    clock.set_now(NOW + dt.timedelta(days=31))
    _assert_401(_client(api, token).get(ME))
    assert _last_used(token) is None


def test_the_schema_documents_revocation(api: Any) -> None:
    import yaml

    r = api(None).get("/api/v1/schema")
    schema = yaml.safe_load(r.content)  # application/vnd.oai.openapi: YAML
    token = schema["paths"]["/api/v1/auth/token"]
    assert token["post"]["security"] == [{}]  # the login itself needs no token
    assert token["delete"]["security"] == [{"bearerAuth": []}]
    assert set(token["delete"]["responses"]) == {"204", "401"}
