"""The list endpoints of issue 6 answer with a number of queries independent of the number of rows
(style.md habit 10): systems, risk assessments, archive acceptances, and archived documents."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

SYSTEM = {
    "name": "系统",
    "purpose": "internal_office",
    "network": "gov_intranet",
    "is_new": True,
    "protection_level": 2,
    "protection_in_needs_analysis": True,
    "protection_in_design": True,
}


def add_rows(api: Any, project: Any, n: int, start: int = 0) -> None:
    # distinct files: the same bytes again for the same stage and category are refused (issue 15)
    for i in range(start, start + n):
        api("staff_a").post(f"/api/v1/projects/{project.pk}/systems", {**SYSTEM, "name": f"系统{i}"}, format="json")
        api("staff_a").post(
            f"/api/v1/projects/{project.pk}/risk-assessments",
            {"assessed_on": "2026-11-01", "assessor": f"机构{i}", "summary": "无高风险"},
            format="json",
        )
        api("archivist_assigned").post(
            f"/api/v1/projects/{project.pk}/archive-acceptances",
            {"accepted_on": "2026-11-02", "organizer": "档案局", "result": "passed", "opinion": "同意"},
            format="json",
        )
        doc = (
            api("staff_a")
            .post(
                f"/api/v1/projects/{project.pk}/documents",
                {
                    "file": SimpleUploadedFile(f"{i}.pdf", f"%PDF {i}".encode()),
                    "stage": "construction",
                    "category": "contract",
                    "title": f"合同{i}",
                },
                format="multipart",
            )
            .json()
        )
        api("leader_a").post(f"/api/v1/documents/{doc['id']}/archive")


def counts(api: Any, project: Any) -> dict[str, int]:
    client = api("staff_p")
    out = {}
    for name in ("systems", "risk-assessments", "archive-acceptances", "documents"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/projects/{project.pk}/{name}").status_code == 200
        out[name] = len(ctx.captured_queries)
    return out


def test_list_query_counts_do_not_grow_with_rows(project: Any, api: Any) -> None:
    add_rows(api, project, 2)
    two = counts(api, project)
    add_rows(api, project, 5, start=2)
    assert counts(api, project) == two
