"""An expert assigned to a review reads the needs-analysis report, not the rest of the file."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from egovpm.documents.services import document_upload

pytestmark = pytest.mark.django_db


def upload(project: Any, actor: Any, category: str) -> Any:
    return document_upload(
        actor=actor,
        project_id=project.pk,
        file=SimpleUploadedFile(f"{category}.pdf", f"%PDF {category}".encode(), content_type="application/pdf"),
        stage="draft",
        category=category,
        title=category,
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )


def test_expert_sees_only_the_needs_analysis_report(project: Any, personas: dict[str, Any], api: Any) -> None:
    report = upload(project, personas["staff_a"], "needs_analysis_report")
    contract = upload(project, personas["staff_a"], "other")

    listed = api("expert_assigned").get(f"/api/v1/projects/{project.pk}/documents").json()["results"]
    assert [d["id"] for d in listed] == [str(report.pk)]
    assert api("expert_assigned").get(f"/api/v1/documents/{report.pk}/content").status_code == 200
    # the rest of the file is out of the expert's reach, exactly as if it did not exist
    assert api("expert_assigned").get(f"/api/v1/documents/{contract.pk}").status_code == 404
    assert api("expert_assigned").get(f"/api/v1/documents/{contract.pk}/content").status_code == 404
    # others assigned to the project for other tasks keep reading the whole file
    assert len(api("archivist_assigned").get(f"/api/v1/projects/{project.pk}/documents").json()["results"]) == 2
    assert len(api("staff_p").get(f"/api/v1/projects/{project.pk}/documents").json()["results"]) == 2
