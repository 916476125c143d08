"""NDRC's and MoF's review lists count every review (of a status) from the totals PostgreSQL keeps
(migration reviews.0006_review_totals, selectors.review_total): they follow inserts, status
changes and deletes, and equal COUNT(*) and what the lists answer at every step."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from egovpm.projects.models import Project
from egovpm.reviews import selectors
from egovpm.reviews.models import ExpertReview

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)


def _counts(api: Any, client: Any) -> dict[str, tuple[int, int, int]]:
    out = {}
    for status in ("", "open", "concluded"):
        rows = ExpertReview.objects.filter(status=status) if status else ExpertReview.objects.all()
        listed = api("ndrc").get("/api/v1/expert-reviews", {"status": status} if status else {}).json()["count"]
        out[status] = (selectors.review_total(status), rows.count(), listed)
    page = client.get(reverse("web:review_list")).content.decode()
    assert f"{ExpertReview.objects.count()} " in page
    return out


@pytest.mark.postgres
def test_the_kept_totals_follow_every_write(na_project: Any, personas: dict[str, Any], api: Any, client: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the kept totals exist on PostgreSQL only (run in the PostgreSQL pass)")
    client.force_login(personas["ndrc"])
    projects = []
    for i in range(4):
        project = Project.objects.get(pk=na_project.pk)
        project.pk, project.code = uuid.uuid4(), f"{na_project.code[:-3]}{800 + i}"
        project.save(force_insert=True)
        projects.append(project)
    reviews = ExpertReview.objects.bulk_create(
        ExpertReview(project=p, status="open", formed_by="named", formed_at=AT, organised_by=personas["ndrc"])
        for p in projects
    )
    for kept, counted, listed in _counts(api, client).values():
        assert kept == counted == listed
    ExpertReview.objects.filter(pk__in=[r.pk for r in reviews[:3]]).update(
        status="concluded", conclusion="approve", concluded_at=AT
    )
    ExpertReview.objects.filter(pk=reviews[0].pk).delete()
    counts = _counts(api, client)
    assert counts["concluded"] == (2, 2, 2) and counts["open"] == (1, 1, 1)
    for kept, counted, listed in counts.values():
        assert kept == counted == listed
