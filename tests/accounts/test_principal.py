"""The principal of a request (accounts.models.token_principal / user_principal, used by the Bearer
authentication and the session backend): the token, its user, the user's department and all of
the user's roles are read in ONE query, and what they read is what the tables hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from egovpm.accounts.auth import token_issue
from egovpm.accounts.models import ApiToken, User, UserRole, token_principal, user_principal

ME = "/api/v1/me"


def _bearer(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")
    return client


@pytest.fixture
def two_roles(personas: dict[str, Any]) -> User:
    """A department leader who is also the department's staff (the demo's samr.staff)."""
    user = personas["leader_a"]
    UserRole.objects.create(user=user, role="dept_staff")
    return user


def test_a_bearer_request_reads_token_user_department_and_roles_in_one_query(two_roles: User) -> None:
    client = _bearer(two_roles)
    client.get(ME)  # the first use writes last_used_at; the pinned cost is that of the next ones
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "username": two_roles.username,
        "department": "moa",
        "roles": ["dept_leader", "dept_staff"],
    }
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]


def test_a_session_request_reads_the_user_with_department_and_roles_in_one_query(two_roles: User) -> None:
    client = Client()
    client.force_login(two_roles)
    client.get(ME)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["roles"] == ["dept_leader", "dept_staff"]
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]  # the session row + the user


def test_the_loaded_instances_equal_the_orm_s(two_roles: User) -> None:
    key = token_issue(user=two_roles)
    token = token_principal(ApiToken.hash(key))
    expected = ApiToken.objects.select_related("user", "user__department").get(key_hash=ApiToken.hash(key))
    assert token is not None
    for field in ApiToken._meta.concrete_fields:
        assert getattr(token, field.attname) == getattr(expected, field.attname), field.name
    for field in User._meta.concrete_fields:
        assert getattr(token.user, field.attname) == getattr(expected.user, field.attname), field.name
    assert token.expires_at.tzinfo is not None  # converted as the ORM converts (SQLite stores text)
    assert token.user.department == expected.user.department
    assert token.user.department.code == "moa"
    roles = frozenset(UserRole.objects.filter(user=two_roles).values_list("role", flat=True))
    with CaptureQueriesContext(connection) as ctx:
        assert token.user.role_set == roles == {"dept_leader", "dept_staff"}
        assert token.user.has_role("dept_staff")
    assert not ctx.captured_queries  # nothing is read later in the request
    assert not token._state.adding and not token.user._state.adding


def test_a_user_without_department_or_roles(db: Any) -> None:
    user = User.objects.create_user(username="nobody", password="x")  # noqa: S106 -- never logs in
    loaded = user_principal(user.pk)
    assert loaded is not None
    assert loaded.pk == user.pk and loaded.department is None and loaded.role_set == frozenset()


def test_unknown_token_or_user_is_none(db: Any) -> None:
    assert token_principal(ApiToken.hash("no-such-token")) is None
    assert user_principal(10**9) is None


def test_a_disabled_user_s_session_is_anonymous(personas: dict[str, Any]) -> None:
    user = personas["staff_a"]
    client = Client()
    client.force_login(user)
    assert client.get(ME).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(ME).status_code in (401, 403)
