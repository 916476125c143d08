"""The review lists (GET /api/v1/expert-reviews and /projects/{id}/expert-reviews) build their rows
as plain dicts read with .values() (reviews.api.review_rows); they must equal ReviewOut's rendering — what the lists
answered before and what the schema documents — for every reader and every state of a panel
(open with one opinion, concluded; named and drawn panels; an attachment)."""

from __future__ import annotations

from typing import Any

import pytest

from egovpm.reviews import selectors
from egovpm.reviews.api import ReviewOut, review_rows

from .conftest import conclude, form, give, opinion

pytestmark = pytest.mark.django_db


def _both(user: Any, **kwargs: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reviews = selectors.review_list(user=user, **kwargs)
    serialized = [dict(r) for r in ReviewOut(list(reviews), many=True, context={"user": user}).data]
    return review_rows(reviews, user), serialized


def test_rows_equal_the_serializer_for_every_reader_and_state(
    na_project: Any, pool: dict[str, Any], personas: dict[str, Any], api: Any, as_user: Any
) -> None:
    drawn = form(api, na_project, draw={"size": 3})  # concluded first: one open panel at a time
    assert drawn.status_code == 201, drawn.content
    did = drawn.json()["id"]
    for username in [e["username"] for e in drawn.json()["experts"]]:
        assert give(as_user(pool[username]), did).status_code == 201
    assert conclude(api, did).status_code == 200
    named = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"])  # then open, one opinion of three
    assert named.status_code == 201, named.content
    assert give(as_user(pool["ex.a"]), named.json()["id"], "revise", "需补充").status_code == 201
    readers = [personas["ndrc"], personas["mof"], personas["staff_a"], personas["staff_p"], pool["ex.a"], pool["ex.d"]]
    seen = 0
    for user in readers:
        rows, serialized = _both(user)
        assert rows == serialized, user.username
        seen += len(rows)
        if user.has_role("ndrc_officer"):
            rows, serialized = _both(user, project_id=na_project.pk)
            assert len(rows) == 2 and rows == serialized
            assert any(r["draw"] for r in rows) and any(r["opinions"] for r in rows)
    assert seen > 4  # most readers saw both panels


def test_the_api_lists_answer_those_rows(na_project: Any, pool: dict[str, Any], api: Any, as_user: Any) -> None:
    rid = form(api, na_project, experts=["ex.a", "ex.b", "ex.c"]).json()["id"]
    assert opinion(api, "ndrc", rid).status_code in (400, 403)  # NDRC gives none
    give(as_user(pool["ex.b"]), rid)
    from egovpm.accounts.models import User

    ndrc = User.objects.get(username="ndrc")
    listed = api("ndrc").get("/api/v1/expert-reviews").json()
    assert listed["count"] == 1 and listed["results"] == _both(ndrc)[1]
    per_project = api("ndrc").get(f"/api/v1/projects/{na_project.pk}/expert-reviews").json()
    assert per_project["results"] == listed["results"]
