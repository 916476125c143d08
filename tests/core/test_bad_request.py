"""Issue 9 review: a request Django refuses itself (a body over DATA_UPLOAD_MAX_MEMORY_SIZE) is the
API's error body under /api/ and a generic 400 page elsewhere — never a page about dates."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def oversize_json() -> str:
    return '{"username": "' + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '", "password": "x"}'


def test_an_oversize_json_body_to_the_api_is_the_api_error_body() -> None:
    r = Client().post("/api/v1/auth/token", oversize_json(), content_type="application/json")
    assert r.status_code == 400
    assert r["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) >= {"code", "message", "details"} and body["details"] is None
    assert body["code"] == "request_too_large"
    assert body["reason"] == {"code": "request_too_large", "params": {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}}
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in body["message"] and "字节" in body["message"]
    assert "YYYY" not in body["message"] and "日期" not in body["message"]


def test_the_oversize_answer_is_in_the_users_language(personas: Any) -> None:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = c.post("/api/v1/auth/token", oversize_json(), content_type="application/json")
    assert r.status_code == 400 and "bytes" in r.json()["message"]


def test_an_oversize_form_to_a_page_is_the_generic_400_page() -> None:
    data = {"username": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "password": PASSWORD}
    r = Client().post(reverse("web:login"), data)
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/html")
    page = r.content.decode()
    assert "400" in page and "无法处理该请求" in page
    # nothing about dates or characters the visitor did not send, nor Django's internal words
    assert "YYYY" not in page and "日期" not in page and "DATA_UPLOAD_MAX_MEMORY_SIZE" not in page


def test_a_page_that_refuses_a_date_still_says_why(project: Any) -> None:
    c = Client()
    assert c.login(username="staff_a", password=PASSWORD)
    r = c.get(reverse("web:project_compliance", kwargs={"pk": project.pk}) + "?as_of=9999-12-31")
    assert r.status_code == 400
    page = r.content.decode()
    assert "无法处理该请求" in page and "YYYY-MM-DD" in page and "1990-01-01" in page
