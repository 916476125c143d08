"""API authentication, lockout, disabled users and the password policy (api.md "Auth")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import NOW, PASSWORD
from egovpm.accounts import services as accounts
from egovpm.accounts.models import User
from egovpm.core.errors import InvalidInput

TOKEN = "/api/v1/auth/token"


def login(api: Any, username: str, password: str) -> Any:
    return api(None).post(TOKEN, {"username": username, "password": password}, format="json")


def test_token_with_right_password(api: Any) -> None:
    r = login(api, "staff_a", PASSWORD)
    assert r.status_code == 200
    token = r.json()["token"]
    assert len(token) >= 32
    me = api(None)
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    r = me.get("/api/v1/me")
    assert r.status_code == 200
    assert r.json()["username"] == "staff_a"
    assert r.json()["department"] == "moa"
    assert r.json()["roles"] == ["dept_staff"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("staff_a", "Wrong-Passw0rd"), ("staff_a", PASSWORD.upper()), ("nobody", PASSWORD), ("staff_a", "")],
)
def test_token_with_wrong_credentials_is_401(username: str, password: str, api: Any) -> None:
    r = login(api, username, password)
    assert r.status_code in (400, 401) if password == "" else r.status_code == 401
    assert "token" not in r.json()
    if r.status_code == 401:
        assert r.json()["code"] == "invalid_credentials"


def test_missing_fields_are_400(api: Any, personas: dict[str, Any]) -> None:
    r = api(None).post(TOKEN, {"username": "staff_a"}, format="json")
    assert r.status_code == 400
    assert "password" in r.json()["details"]


def test_no_or_wrong_token_is_401(api: Any, personas: dict[str, Any]) -> None:
    client = api(None)
    assert client.get("/api/v1/me").status_code == 401
    for header in ("Bearer not-a-real-token", "Bearer", "Bearer a b", "Token abc"):
        client.credentials(HTTP_AUTHORIZATION=header)
        r = client.get("/api/v1/projects")
        assert r.status_code == 401, header
        assert r.json()["code"] == "not_authenticated"


def test_schema_and_docs_are_public(db: Any, api: Any) -> None:
    assert api(None).get("/api/v1/schema").status_code == 200


# --- lockout ------------------------------------------------------------------------------------


def test_lockout_after_five_failures(api: Any, clock: Any, settings: Any) -> None:
    assert settings.EGOVPM_LOCKOUT_FAILURES == 5
    for _ in range(4):
        assert login(api, "staff_a", "Wrong-Passw0rd").status_code == 401
    # the fifth failure locks the account (it may already say so)
    assert login(api, "staff_a", "Wrong-Passw0rd").status_code in (401, 403)
    r = login(api, "staff_a", PASSWORD)
    assert r.status_code == 403
    assert r.json()["code"] == "locked_out"
    assert "token" not in r.json()
    # still locked a little before the window has passed since the last failure
    clock.set_now(NOW + dt.timedelta(minutes=settings.EGOVPM_LOCKOUT_MINUTES - 1))
    assert login(api, "staff_a", PASSWORD).status_code == 403
    # the refused attempts count as failures: the window runs from the last one
    clock.set_now(NOW + dt.timedelta(minutes=2 * settings.EGOVPM_LOCKOUT_MINUTES + 1))
    assert login(api, "staff_a", PASSWORD).status_code == 200


def test_lockout_is_per_user(api: Any) -> None:
    for _ in range(5):
        login(api, "staff_a", "Wrong-Passw0rd")
    assert login(api, "staff_a", PASSWORD).status_code == 403
    assert login(api, "staff_b", PASSWORD).status_code == 200


def test_four_failures_do_not_lock_and_success_resets(api: Any) -> None:
    for _ in range(4):
        login(api, "staff_a", "Wrong-Passw0rd")
    assert login(api, "staff_a", PASSWORD).status_code == 200
    for _ in range(4):
        login(api, "staff_a", "Wrong-Passw0rd")
    assert login(api, "staff_a", PASSWORD).status_code == 200


def test_failures_outside_the_window_do_not_count(api: Any, clock: Any, settings: Any) -> None:
    for _ in range(3):
        login(api, "staff_a", "Wrong-Passw0rd")
    clock.set_now(NOW + dt.timedelta(minutes=settings.EGOVPM_LOCKOUT_MINUTES + 1))
    for _ in range(2):
        login(api, "staff_a", "Wrong-Passw0rd")
    assert login(api, "staff_a", PASSWORD).status_code == 200


def test_lockout_threshold_is_a_setting(api: Any, settings: Any) -> None:
    settings.EGOVPM_LOCKOUT_FAILURES = 2
    login(api, "staff_a", "Wrong-Passw0rd")
    login(api, "staff_a", "Wrong-Passw0rd")
    assert login(api, "staff_a", PASSWORD).status_code == 403


def test_unknown_username_answers_like_a_known_one(api: Any, personas: dict[str, Any]) -> None:
    """Whether a username exists must not show in the answers, lockout included."""
    known = [login(api, "staff_a", "Wrong-Passw0rd").status_code for _ in range(6)]
    unknown = [login(api, "ghost", "Wrong-Passw0rd").status_code for _ in range(6)]
    assert known == unknown
    assert known[-1] == 403


# --- disabled users and password changes ---------------------------------------------------------


def test_disabled_user_cannot_get_a_token(api: Any, personas: dict[str, Any]) -> None:
    accounts.user_set(actor=None, username="staff_a", active=False)
    r = login(api, "staff_a", PASSWORD)
    assert r.status_code == 401
    assert "token" not in r.json()


def test_disabled_user_token_stops_working_for_good(api: Any, personas: dict[str, Any]) -> None:
    client = api("staff_a")
    assert client.get("/api/v1/me").status_code == 200
    accounts.user_set(actor=None, username="staff_a", active=False)
    assert client.get("/api/v1/me").status_code == 401
    # enabling the account again does not bring the old token back (issue 9 item 7)
    accounts.user_set(actor=None, username="staff_a", active=True)
    assert client.get("/api/v1/me").status_code == 401
    assert login(api, "staff_a", PASSWORD).status_code == 200


def test_password_reset_ends_tokens(api: Any, personas: dict[str, Any]) -> None:
    client = api("staff_a")
    accounts.user_set(actor=None, username="staff_a", password="New-Passw0rd-2026")
    assert client.get("/api/v1/me").status_code == 401
    assert login(api, "staff_a", PASSWORD).status_code == 401
    assert login(api, "staff_a", "New-Passw0rd-2026").status_code == 200


def test_only_the_hash_of_a_token_is_kept(api: Any, personas: dict[str, Any]) -> None:
    from egovpm.accounts.models import ApiToken

    token = login(api, "staff_a", PASSWORD).json()["token"]
    stored = list(ApiToken.objects.filter(user__username="staff_a").values_list("key_hash", flat=True))
    assert stored
    assert token not in stored


# --- password policy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!",  # too short
        "short",
        "alllowercaseletters",  # one character class
        "lowercaseand12345",  # two classes
        "ALLUPPERCASE2026",  # two classes
        "Password123",  # common
        "",
    ],
)
def test_weak_passwords_are_refused(password: str, departments: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        accounts.user_add(actor=None, username="newbie", department_code="moa", roles=["dept_staff"], password=password)
    assert not User.objects.filter(username="newbie").exists()


def test_strong_password_is_accepted(departments: dict[str, Any]) -> None:
    user = accounts.user_add(
        actor=None, username="newbie", department_code="moa", roles=["dept_staff"], password="Lantern-7-Orchid"
    )
    assert user.check_password("Lantern-7-Orchid")
    assert user.password != "Lantern-7-Orchid"


def test_weak_password_on_reset_is_refused(personas: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        accounts.user_set(actor=None, username="staff_a", password="weakweak")
    assert User.objects.get(username="staff_a").check_password(PASSWORD)


def test_a_failed_token_login_is_recorded_with_the_api_channel_and_address(api: Any) -> None:
    """POST /auth/token passes the request on to the login backend: the attempt keeps where it came
    from (the channel and the client address the lockout log shows)."""
    from egovpm.accounts.models import LoginAttempt

    r = api(None).post("/api/v1/auth/token", {"username": "staff_a", "password": "wrong"}, format="json")
    assert r.status_code == 401
    attempt = LoginAttempt.objects.filter(username="staff_a").latest("at")
    assert (attempt.succeeded, attempt.channel, attempt.ip) == (False, "api", "127.0.0.1")
