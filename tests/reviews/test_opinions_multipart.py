"""Issue 9 review: the multipart route of opinions (with an attachment) keeps the text rule —
a bidirectional control in `text` is a 400 naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import form

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(na_project: Any, pool: Any, api: Any) -> dict[str, Any]:
    r = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"])
    assert r.status_code == 201
    return r.json()


@pytest.mark.parametrize("ch", ["\u202e", "\u200b", "\x00"])
def test_bidi_text_in_a_multipart_opinion_is_a_400_naming_the_field(
    ch: str, review: Any, pool: Any, as_user: Any
) -> None:
    from egovpm.reviews.models import Opinion

    body = {
        "recommendation": "approve",
        "text": f"同意{ch}驳回",
        "attachment": SimpleUploadedFile("意见.txt", "附件".encode(), content_type="text/plain"),
    }
    r = as_user(pool["ex.a"]).post(f"/api/v1/expert-reviews/{review['id']}/opinions", body, format="multipart")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid" and "text" in r.json()["details"]
    assert not Opinion.objects.filter(expert=pool["ex.a"]).exists()


def test_form_encoded_opinions_are_refused(review: Any, pool: Any, as_user: Any) -> None:
    r = as_user(pool["ex.a"]).post(
        f"/api/v1/expert-reviews/{review['id']}/opinions",
        "recommendation=approve&text=ok",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 415, r.content
