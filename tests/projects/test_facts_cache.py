"""The facts of one project kept against its compliance generation (projects.facts.project_facts,
issue 13): the project page's stage gates and compliance checks read them without gathering again,
and they are never stale — an audited change of the project's records, another date or a
transaction that may roll back each make the next read gather afresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_project
from egovpm.projects.facts import project_facts
from egovpm.projects.models import Project

pytestmark = pytest.mark.django_db


def _facts(project: Project, as_of: dt.date) -> tuple[Any, int]:
    """The facts of a fresh instance of the project (as a new request loads it) and the queries."""
    fresh = Project.objects.get(pk=project.pk)
    with CaptureQueriesContext(connection) as ctx:
        facts = project_facts(project=fresh, as_of=as_of)
    return facts, len(ctx.captured_queries)


def _upload(project: Project, actor: Any, settings: Any, title: str, category: str = "other") -> None:
    from egovpm.documents.services import document_upload

    document_upload(
        actor=actor,
        project_id=project.pk,
        file=SimpleUploadedFile(f"{title}.pdf", b"%PDF " + title.encode(), content_type="application/pdf"),
        stage="draft",
        category=category,
        title=title,
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )


def test_kept_until_an_audited_change_of_the_records(personas: dict[str, Any], settings: Any, clock: Any) -> None:
    project = make_project(personas["staff_a"])
    today = clock.today()
    first, gathered = _facts(project, today)
    again, kept = _facts(project, today)
    assert again == first
    assert kept == 1 < gathered  # the generation, nothing gathered
    _upload(project, personas["staff_a"], settings, "需求材料")  # records only: the project row is unchanged
    after, regathered = _facts(project, today)
    assert regathered == gathered
    assert len(after.documents) == len(first.documents) + 1
    assert _facts(project, today) == (after, 1)


def test_another_date_gathers_again(personas: dict[str, Any], clock: Any) -> None:
    project = make_project(personas["staff_a"])
    today = clock.today()
    _, gathered = _facts(project, today)
    assert _facts(project, today)[1] == 1
    assert _facts(project, today + dt.timedelta(days=1))[1] == gathered


def test_facts_read_inside_a_transaction_are_not_kept(personas: dict[str, Any], settings: Any, clock: Any) -> None:
    """A change rolled back after the facts were read must not leave them behind under a
    generation number that the next change will reuse."""
    project = make_project(personas["staff_a"])
    today = clock.today()
    before, gathered = _facts(project, today)
    with pytest.raises(RuntimeError), transaction.atomic():
        _upload(project, personas["staff_a"], settings, "撤回的需求分析报告", "needs_analysis_report")
        inside, _ = _facts(project, today)
        assert [d.category for d in inside.documents] == ["needs_analysis_report"]
        raise RuntimeError("roll back")
    assert before.documents == ()
    _upload(project, personas["staff_a"], settings, "另一份材料")  # the same generation number again
    after, regathered = _facts(project, today)
    assert regathered == gathered
    assert [d.category for d in after.documents] == ["other"]


def test_project_page_gate_follows_the_change(personas: dict[str, Any]) -> None:
    """The page shows the blocked action, the blocking rule is fixed, the page shows it allowed."""
    from egovpm.projects.services import project_update

    project = make_project(personas["staff_a"], name="缺负责人项目", responsible_leader_name="")
    client = Client()
    client.force_login(personas["staff_a"])
    url = reverse("web:project_detail", kwargs={"pk": project.pk})
    for _ in range(2):  # the second page reads the kept facts
        body = client.get(url).content.decode()
        assert "C2.1" in body and 'disabled aria-describedby="why-submit_needs_analysis"' in body
    project_update(actor=personas["staff_a"], project_id=project.pk, changes={"responsible_leader_name": "张三"})
    body = client.get(url).content.decode()
    assert 'disabled aria-describedby="why-submit_needs_analysis"' not in body
    assert reverse("web:project_transition", kwargs={"pk": project.pk}) in body


def test_one_instance_reads_the_generation_once_until_a_change_here(
    personas: dict[str, Any], settings: Any, clock: Any
) -> None:
    """The frame and the tab of one page share the Project instance: the second read costs nothing;
    an audited change made in this process since (a write view rendering after its change) makes
    it read again and see the change."""
    project = Project.objects.get(pk=make_project(personas["staff_a"]).pk)
    today = clock.today()
    before = project_facts(project=project, as_of=today)
    with CaptureQueriesContext(connection) as ctx:
        assert project_facts(project=project, as_of=today) is before
    assert len(ctx.captured_queries) == 0
    _upload(project, personas["staff_a"], settings, "新材料")
    assert len(project_facts(project=project, as_of=today).documents) == len(before.documents) + 1
