"""Inspections through the API: who opens, records, issues, answers, closes and reopens; every bad
input of issue 12 refused with nothing changed; the 整改通知书 read back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from tests.inspections.conftest import add_finding

from conftest import NOW

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[Any, ...]:
    from egovpm.audit.models import AuditEvent
    from egovpm.inspections.models import Finding, Inspection, RectificationEvent, RectificationItem

    return (
        list(Inspection.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values()),
        list(RectificationItem.objects.order_by("pk").values()),
        RectificationEvent.objects.count(),
        # what was changed (signing in to the API issues tokens: not a change of these records)
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def _issue(inspection: Any, personas: dict[str, Any], ended_on: str = "2026-06-10") -> Any:
    from egovpm.inspections.services import inspection_issue

    return inspection_issue(actor=personas["inspector_assigned"], inspection_id=inspection.pk, ended_on=ended_on)


def _items(inspection: Any) -> list[Any]:
    from egovpm.inspections.models import RectificationItem

    return list(RectificationItem.objects.filter(finding__inspection=inspection).order_by("finding__seq"))


# ------------------------------------------------------------------------------------------ open


def test_ndrc_opens_and_the_inspectors_are_assigned(api: Any, project: Any, personas: dict[str, Any]) -> None:
    from egovpm.projects.models import Assignment
    from egovpm.projects.services import assignment_remove

    assignment_remove(actor=personas["ndrc"], project_id=project.pk, username="inspector_assigned")
    body = {
        "kind": "audit",
        "scope": ["procurement", "progress"],
        "inspectors": ["inspector_assigned"],
        "co_organisers": ["mof"],
        "started_on": "2026-11-02",
    }
    r = api("ndrc").post(reverse("api:inspections", kwargs={"project_id": project.pk}), body, format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["state"] == "in_progress"
    assert data["scope"] == ["progress", "procurement"]
    assert data["inspectors"] == ["inspector_assigned"]
    assert data["reference"].startswith("发改监督〔2026〕")
    assert Assignment.objects.filter(project=project, user__username="inspector_assigned", task="inspector").exists()
    # the inspector now reads the project's inspections
    listed = api("inspector_assigned").get(reverse("api:inspections", kwargs={"project_id": project.pk}))
    assert [i["id"] for i in listed.json()["results"]] == [data["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"inspectors": ["staff_a"]}, "inspectors"),  # no inspector role
        ({"inspectors": ["nobody"]}, "inspectors"),
        ({"inspectors": []}, "inspectors"),
        ({"scope": ["weather"]}, "scope"),
        ({"scope": []}, "scope"),
        ({"kind": "visit"}, "kind"),
        ({"co_organisers": ["nowhere"]}, "co_organisers"),
        ({"started_on": "2026-13-01"}, "started_on"),
    ],
)
def test_open_refuses_bad_input(api: Any, project: Any, change: dict[str, Any], field: str) -> None:
    body = {
        "kind": "inspection",
        "scope": ["progress"],
        "inspectors": ["inspector_assigned"],
        "started_on": "2026-11-02",
    }
    before = _snapshot()
    r = api("ndrc").post(reverse("api:inspections", kwargs={"project_id": project.pk}), body | change, format="json")
    assert r.status_code == 400
    assert field in r.json()["details"]
    assert _snapshot() == before


# -------------------------------------------------------------------------------------- findings


def test_a_finding_after_the_report_is_issued_is_409(api: Any, opened: Any, personas: dict[str, Any]) -> None:
    add_finding(opened, personas["inspector_assigned"])
    _issue(opened, personas)
    before = _snapshot()
    body = {"area": "progress", "description": "又一问题", "severity": "minor", "rectification_required": False}
    r = api("inspector_assigned").post(
        reverse("api:inspection-findings", kwargs={"inspection_id": opened.pk}), body, format="json"
    )
    assert r.status_code == 409
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "2026-05-31"}, "due_date"),  # before the inspection started
        ({"due_date": None}, "due_date"),  # required when rectification is required
        ({"area": "security"}, "area"),  # not in this inspection's scope
        ({"severity": "fatal"}, "severity"),
        ({"description": "  "}, "description"),
        ({"rectification_required": "yes"}, "rectification_required"),
    ],
)
def test_finding_refuses_bad_input(api: Any, opened: Any, change: dict[str, Any], field: str) -> None:
    body = {
        "area": "progress",
        "description": "进度滞后",
        "severity": "major",
        "rectification_required": True,
        "due_date": "2026-06-30",
    } | change
    before = _snapshot()
    r = api("inspector_assigned").post(
        reverse("api:inspection-findings", kwargs={"inspection_id": opened.pk}), body, format="json"
    )
    assert r.status_code == 400
    assert field in r.json()["details"]
    assert _snapshot() == before


def test_a_finding_without_rectification_needs_no_due_date(api: Any, opened: Any) -> None:
    body = {"area": "archives", "description": "档案目录不规范", "severity": "minor", "rectification_required": False}
    r = api("inspector_assigned").post(
        reverse("api:inspection-findings", kwargs={"inspection_id": opened.pk}), body, format="json"
    )
    assert r.status_code == 201
    assert r.json()["due_date"] is None and r.json()["seq"] == 1


def test_only_the_inspections_own_inspectors_record(
    api: Any, project: Any, opened: Any, personas: dict[str, Any]
) -> None:
    from egovpm.projects.services import assignment_add

    body = {"area": "progress", "description": "问题", "severity": "minor", "rectification_required": False}
    url = reverse("api:inspection-findings", kwargs={"inspection_id": opened.pk})
    assert api("ndrc").post(url, body, format="json").status_code == 403  # organises, does not record
    assert api("inspector_other").post(url, body, format="json").status_code == 404  # not assigned
    # an inspector of another inspection on the same project sees the project, not this inspection's pen
    assignment_add(actor=personas["ndrc"], project_id=project.pk, username="inspector_other", task="inspector")
    assert api("inspector_other").post(url, body, format="json").status_code == 403


# ----------------------------------------------------------------------------------------- issue


def test_issue_freezes_and_creates_one_item_per_finding_that_requires_it(
    api: Any, opened: Any, personas: dict[str, Any]
) -> None:
    add_finding(opened, personas["inspector_assigned"])
    add_finding(opened, personas["inspector_assigned"], area="archives", rectification_required=False, due_date=None)
    add_finding(opened, personas["inspector_assigned"], area="budget_execution", due_date="2026-07-31")
    url = reverse("api:inspection-issue", kwargs={"inspection_id": opened.pk})
    assert api("ndrc").post(url, {"ended_on": "2026-06-10"}, format="json").status_code == 403
    r = api("inspector_assigned").post(url, {"ended_on": "2026-06-10"}, format="json")
    assert r.status_code == 200
    data = r.json()
    assert data["state"] == "report_issued" and data["issued_by"] == "inspector_assigned"
    items = [f["item"] for f in data["findings"]]
    assert [i and i["due_date"] for i in items] == ["2026-06-30", None, "2026-07-31"]
    assert all(i is None or i["status"] == "open" for i in items)
    # issuing twice: 409
    assert api("inspector_assigned").post(url, {"ended_on": "2026-06-10"}, format="json").status_code == 409


def test_an_inspection_without_items_closes_when_issued(opened: Any, personas: dict[str, Any]) -> None:
    add_finding(opened, personas["inspector_assigned"], rectification_required=False, due_date=None)
    assert _issue(opened, personas).state == "closed"


@pytest.mark.parametrize("ended_on", ["2026-05-31", "2026-11-21", "soon"])  # before start, future, not a date
def test_issue_refuses_bad_end_dates(api: Any, opened: Any, personas: dict[str, Any], ended_on: str) -> None:
    add_finding(opened, personas["inspector_assigned"])
    before = _snapshot()
    url = reverse("api:inspection-issue", kwargs={"inspection_id": opened.pk})
    r = api("inspector_assigned").post(url, {"ended_on": ended_on}, format="json")
    assert r.status_code == 400 and "ended_on" in r.json()["details"]
    assert _snapshot() == before


def test_the_notice_is_409_before_issue_and_reads_back_after(api: Any, opened: Any, personas: dict[str, Any]) -> None:
    from docx import Document

    add_finding(opened, personas["inspector_assigned"], description="实际进度滞后于批复工期三个月")
    add_finding(
        opened,
        personas["inspector_assigned"],
        area="budget_execution",
        description="预算执行率低于百分之三十",
        severity="serious",
        due_date="2026-08-15",
    )
    url = reverse("api:inspection-notice", kwargs={"inspection_id": opened.pk})
    assert api("staff_a").get(url).status_code == 409
    _issue(opened, personas)
    r = api("staff_a").get(url)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "整改通知书" in text
    assert opened.reference in text
    assert "甲部委：" in text  # addressed to the lead department
    assert "1. 【建设进度｜较重】实际进度滞后于批复工期三个月（整改期限：2026年6月30日前）" in text
    assert "2. 【预算执行｜严重】预算执行率低于百分之三十（整改期限：2026年8月15日前）" in text
    assert "国家发展和改革委员会、财政部" in text  # issuing body with the co-organiser
    assert "2026年11月20日" in text  # issued today (Beijing)


# --------------------------------------------------------------------------------- rectification


@pytest.fixture
def issued(clock: Any, opened: Any, personas: dict[str, Any]) -> Any:
    """Two items (due 2026-06-30 and 2026-07-31) of a report issued on 2026-06-10; today is NOW."""
    add_finding(opened, personas["inspector_assigned"])
    add_finding(opened, personas["inspector_assigned"], area="budget_execution", due_date="2026-07-31")
    clock.set_now(dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC))
    _issue(opened, personas)
    clock.set_now(NOW)
    return opened


def test_answer_by_another_department_is_404_and_participants_403(
    api: Any, issued: Any, personas: dict[str, Any]
) -> None:
    item = _items(issued)[0]
    url = reverse("api:rectification-answer", kwargs={"item_id": item.pk})
    before = _snapshot()
    assert api("staff_b").post(url, {"text": "已整改"}, format="json").status_code == 404
    assert api("staff_p").post(url, {"text": "已整改"}, format="json").status_code == 403
    assert api("ndrc").post(url, {"text": "已整改"}, format="json").status_code == 403
    assert _snapshot() == before


def test_closing_an_item_nobody_answered_is_409(api: Any, issued: Any) -> None:
    item = _items(issued)[0]
    before = _snapshot()
    r = api("inspector_assigned").post(
        reverse("api:rectification-close", kwargs={"item_id": item.pk}), {"comment": "好"}, format="json"
    )
    assert r.status_code == 409
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"documents": []}, "text"),  # no text at all
        ({"text": "已整改", "answered_on": "2026-11-21"}, "answered_on"),  # future
        ({"text": "已整改", "answered_on": "2026-06-09"}, "answered_on"),  # before the report was issued
        ({"text": "已整改", "documents": ["not-an-id"]}, "documents"),
    ],
)
def test_answer_refuses_bad_input(api: Any, issued: Any, body: dict[str, Any], field: str) -> None:
    item = _items(issued)[0]
    before = _snapshot()
    r = api("staff_a").post(reverse("api:rectification-answer", kwargs={"item_id": item.pk}), body, format="json")
    assert r.status_code == 400 and field in r.json()["details"]
    assert _snapshot() == before


def test_answer_evidence_must_be_a_document_of_the_project(
    api: Any, issued: Any, other_project: Any, personas: dict[str, Any]
) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.documents.services import document_upload

    foreign = document_upload(
        actor=personas["staff_b"],
        project_id=other_project.pk,
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        stage="draft",
        category="other",
        title="别人的文件",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )
    item = _items(issued)[0]
    before = _snapshot()
    r = api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": item.pk}),
        {"text": "已整改", "documents": [str(foreign.pk)]},
        format="json",
    )
    assert r.status_code == 400 and "documents" in r.json()["details"]
    assert _snapshot() == before


def test_answer_close_reopen_and_the_inspection_closes_with_its_last_item(
    api: Any, issued: Any, project: Any, personas: dict[str, Any]
) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.audit.models import AuditEvent
    from egovpm.documents.services import document_upload

    evidence = document_upload(
        actor=personas["staff_a"],
        project_id=project.pk,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf"),
        stage="draft",
        category="rectification_evidence",
        title="整改报告",
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )
    first, second = _items(issued)
    a = api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": first.pk}),
        {"text": "已调整进度计划", "documents": [str(evidence.pk)], "answered_on": "2026-06-28"},
        format="json",
    )
    assert a.status_code == 200 and a.json()["status"] == "submitted"
    assert a.json()["events"][0]["documents"] == [str(evidence.pk)]
    # answering again while submitted: 409
    again = api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": first.pk}), {"text": "再答"}, format="json"
    )
    assert again.status_code == 409
    api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": second.pk}), {"text": "已整改"}, format="json"
    )
    # NDRC cannot close or reopen
    close = reverse("api:rectification-close", kwargs={"item_id": first.pk})
    assert api("ndrc").post(close, {"comment": "好"}, format="json").status_code == 403
    r = api("inspector_assigned").post(close, {"comment": "整改到位"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    reopen = reverse("api:rectification-reopen", kwargs={"item_id": second.pk})
    assert (
        api("inspector_assigned").post(reopen, {"comment": "不足", "due_date": "2026-11-19"}, format="json").status_code
        == 400
    )
    r = api("inspector_assigned").post(reopen, {"comment": "证明材料不足", "due_date": "2026-12-31"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["due_date"] == "2026-12-31"
    detail = api("staff_a").get(reverse("api:inspection", kwargs={"inspection_id": issued.pk})).json()
    assert detail["state"] == "report_issued"
    api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": second.pk}), {"text": "补充材料"}, format="json"
    )
    api("inspector_assigned").post(
        reverse("api:rectification-close", kwargs={"item_id": second.pk}), {"comment": "可以"}, format="json"
    )
    detail = api("staff_a").get(reverse("api:inspection", kwargs={"inspection_id": issued.pk})).json()
    assert detail["state"] == "closed"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "inspection.open",
        "inspection.finding_add",
        "inspection.issue",
        "rectification.answer",
        "rectification.close",
        "rectification.reopen",
        "inspection.close",
    } <= actions


def test_rectifications_as_of_replays_the_dated_events(api: Any, issued: Any) -> None:
    first, _ = _items(issued)
    api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": first.pk}),
        {"text": "已整改", "answered_on": "2026-07-03"},
        format="json",
    )
    url = reverse("api:rectifications", kwargs={"project_id": issued.project_id})

    def rows(as_of: str) -> list[tuple[str, str, bool]]:
        data = api("staff_a").get(url, {"as_of": as_of}).json()["results"]
        return [(r["due_date"], r["status"], r["overdue"]) for r in data]

    assert rows("2026-06-30") == [("2026-06-30", "open", False), ("2026-07-31", "open", False)]
    assert rows("2026-07-01") == [("2026-06-30", "open", True), ("2026-07-31", "open", False)]
    assert rows("2026-07-03") == [("2026-06-30", "submitted", False), ("2026-07-31", "open", False)]
    assert rows("2026-08-01") == [("2026-06-30", "submitted", False), ("2026-07-31", "open", True)]
    assert api("staff_a").get(url, {"as_of": "2026-02-30"}).status_code == 400


def test_the_lead_department_is_told_of_the_items_and_of_a_reopen(api: Any, issued: Any) -> None:
    from egovpm.notifications.models import Message

    told = Message.objects.filter(recipient__username="leader_a", kind="rectification")
    [notice] = told
    assert issued.reference in notice.title and "2" in notice.title  # in the active language
    assert notice.link.endswith(f"/projects/{issued.project_id}/inspections/")
    assert not Message.objects.filter(recipient__username="staff_b").exists()
    first, _ = _items(issued)
    api("staff_a").post(
        reverse("api:rectification-answer", kwargs={"item_id": first.pk}), {"text": "已整改"}, format="json"
    )
    r = api("inspector_assigned").post(
        reverse("api:rectification-reopen", kwargs={"item_id": first.pk}), {"comment": "材料不足"}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert told.all().count() == 2
    assert told.all().order_by("-pk")[0].body.startswith("材料不足")
