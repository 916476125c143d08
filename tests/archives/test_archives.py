"""Archives (clause 七; domain.md §7): the archive register and completeness view, archive
acceptance by an assigned archivist, the C7.1 gate (blocked and passing), the C7.2 warning, the
completion-acceptance snapshot, and who may see and do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import advance, ready_for
from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
from egovpm.audit.models import AuditEvent
from egovpm.rules import engine

ACTORS = ("staff_a", "leader_a", "ndrc")
BODY = {"accepted_on": "2026-11-18", "organizer": "国家档案局", "result": "passed", "opinion": "文件齐全，同意通过"}


def actors(personas: dict[str, Any]) -> dict[str, Any]:
    return {k: personas[k] for k in ACTORS}


def acceptances_url(project: Any) -> str:
    return f"/api/v1/projects/{project.pk}/archive-acceptances"


def upload(api: Any, project: Any, stage: str, category: str, title: str = "文件", persona: str = "staff_a") -> dict:
    r = api(persona).post(
        f"/api/v1/projects/{project.pk}/documents",
        {
            "file": SimpleUploadedFile(f"{title}.pdf", f"%PDF {stage} {category} {title}".encode()),
            "stage": stage,
            "category": category,
            "title": title,
        },
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    return r.json()


def move(api: Any, project: Any, persona: str, action: str, **extra: Any) -> Any:
    return api(persona).post(f"/api/v1/projects/{project.pk}/transition", {"action": action, **extra}, format="json")


def rules_of(response: Any) -> set[str]:
    assert response.status_code == 409, response.json()
    return {v["rule"] for v in response.json()["details"]["violations"]}


def compliance(api: Any, project: Any, as_of: str | None = None) -> dict[str, Any]:
    r = api("ndrc").get(f"/api/v1/projects/{project.pk}/compliance" + (f"?as_of={as_of}" if as_of else ""))
    return {x["rule"]: x for x in r.json()["results"]}


# ---------------------------------------------------------------- archive acceptance: who may


def test_assigned_archivist_records_acceptance_with_completeness_snapshot(project: Any, api: Any) -> None:
    upload(api, project, "needs_analysis", "needs_analysis_report", "需求分析报告")
    r = api("archivist_assigned").post(acceptances_url(project), BODY, format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["result"] == "passed" and data["recorded_by"] == "archivist_assigned"
    assert data["completeness"]["documents"] == 1
    stages = {s["stage"] for s in data["completeness"]["stages"]}
    assert {"needs_analysis", "proposal", "construction", "acceptance"} <= stages
    assert AuditEvent.objects.filter(action="archive_acceptance.record", object_id=data["id"]).exists()
    listing = api("staff_a").get(acceptances_url(project)).json()
    assert listing["count"] == 1


def test_unassigned_archivist_sees_nothing(project: Any, other_project: Any, api: Any) -> None:
    client = api("archivist_other")
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404
    assert client.post(acceptances_url(project), BODY, format="json").status_code == 404
    assert client.get(acceptances_url(project)).status_code == 404
    assert client.get(f"/api/v1/projects/{project.pk}/archive-package").status_code == 404
    assert client.get(f"/api/v1/projects/{project.pk}/archive-completeness").status_code == 404
    assert client.get("/api/v1/projects").json()["count"] == 0
    assert not ArchiveAcceptance.objects.exists()


@pytest.mark.parametrize("persona", ["staff_a", "leader_a", "staff_p", "ndrc", "mof", "inspector_assigned"])
def test_anyone_else_who_sees_the_project_gets_403(project: Any, api: Any, persona: str) -> None:
    r = api(persona).post(acceptances_url(project), BODY, format="json")
    assert r.status_code == 403, r.json()
    assert not ArchiveAcceptance.objects.exists()


def test_an_archivist_of_the_lead_department_may_not_accept_its_own_archives(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    from rest_framework.test import APIClient

    from egovpm.accounts.auth import token_issue
    from egovpm.accounts.services import user_add
    from egovpm.projects.services import assignment_add

    insider = user_add(
        actor=None,
        username="moa_archivist",
        department_code="moa",
        roles=["archivist"],
        password="Test-Passw0rd-egovpm",
    )
    assignment_add(actor=personas["ndrc"], project_id=project.pk, username="moa_archivist", task="archivist")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=insider)}")
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 200
    assert client.post(acceptances_url(project), BODY, format="json").status_code == 403


def test_archivist_assigned_for_another_task_may_not_accept(project: Any, api: Any, personas: dict[str, Any]) -> None:
    from egovpm.projects.models import Assignment

    Assignment.objects.filter(project=project, user=personas["archivist_assigned"]).update(task="inspector")
    assert api("archivist_assigned").post(acceptances_url(project), BODY, format="json").status_code == 403


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"accepted_on": "2026-11-21"}, "accepted_on"),  # future → 400
        ({"accepted_on": "2026/11/02"}, "accepted_on"),
        ({"result": "ok"}, "result"),
        ({"opinion": ""}, "opinion"),
        ({"organizer": ""}, "organizer"),
    ],
)
def test_bad_acceptance_is_400(project: Any, api: Any, fields: dict[str, Any], field: str) -> None:
    r = api("archivist_assigned").post(acceptances_url(project), {**BODY, **fields}, format="json")
    assert r.status_code == 400 and field in r.json()["details"], r.json()
    assert not ArchiveAcceptance.objects.exists()


# ---------------------------------------------------------------- C7.1 gate and the snapshot


def test_c71_blocks_completion_until_the_latest_archive_acceptance_passed(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    project = advance(project, actors(personas), "acceptance", start=dt.date(2026, 1, 5))
    r = move(api, project, "ndrc", "pass_completion_acceptance")
    assert "C7.1" in rules_of(r)
    assert "尚未进行档案验收" in next(v for v in r.json()["details"]["violations"] if v["rule"] == "C7.1")["message_zh"]
    assert compliance(api, project)["C7.1"]["status"] == "fail"
    client = api("archivist_assigned")
    client.post(acceptances_url(project), {**BODY, "accepted_on": "2026-11-01"}, format="json")
    client.post(acceptances_url(project), {**BODY, "result": "failed", "opinion": "缺少合同"}, format="json")
    r = move(api, project, "ndrc", "pass_completion_acceptance")
    assert "C7.1" in rules_of(r)  # the latest failed, though an earlier one passed
    assert "不合格" in next(v for v in r.json()["details"]["violations"] if v["rule"] == "C7.1")["message_zh"]
    client.post(acceptances_url(project), {**BODY, "accepted_on": "2026-11-19"}, format="json")
    ready_for(project, "pass_completion_acceptance")  # the other apps' evidence (e.g. filings)
    assert ArchiveAcceptance.objects.filter(project=project).count() == 3  # nothing added by the hook
    r = move(api, project, "ndrc", "pass_completion_acceptance", effective_date="2026-11-20")
    assert r.status_code == 200, r.json()
    assert r.json()["stage"] == "in_operation"


def test_c71_as_of_judges_acceptances_dated_by_then(project: Any, api: Any, personas: dict[str, Any]) -> None:
    project = advance(project, actors(personas), "acceptance", start=dt.date(2026, 1, 5))
    api("archivist_assigned").post(acceptances_url(project), BODY, format="json")  # 2026-11-18
    assert compliance(api, project, "2026-11-17")["C7.1"]["status"] == "fail"
    assert compliance(api, project, "2026-11-18")["C7.1"]["status"] == "pass"


def test_c71_not_applicable_before_acceptance(project: Any, api: Any) -> None:
    assert compliance(api, project)["C7.1"]["status"] == "not_applicable"


def test_completion_acceptance_keeps_a_snapshot_of_the_compliance_report(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    project = advance(project, actors(personas), "in_operation", start=dt.date(2026, 1, 5))
    snapshot = CompletionAcceptance.objects.get(project=project)
    pack = engine.load_pack("r2007")
    assert (snapshot.pack_version, snapshot.pack_sha256) == (pack.version, pack.sha256)
    assert snapshot.accepted_by == personas["ndrc"] and not snapshot.entrusted
    assert {r["rule"] for r in snapshot.results} == {r.id for r in pack.rules}
    assert next(r for r in snapshot.results if r["rule"] == "C7.1")["status"] == "pass"
    assert snapshot.archive_acceptance is not None and snapshot.archive_acceptance.result == "passed"
    data = api("mof").get(f"/api/v1/projects/{project.pk}/completion-acceptances").json()
    assert data["count"] == 1
    record = data["results"][0]
    assert record["accepted_by"] == "ndrc" and record["pack_sha256"] == pack.sha256
    assert record["effective_date"] == snapshot.effective_date.isoformat()
    assert len(record["results"]) == len(pack.rules)
    # one audit row for the move, which the snapshot is part of
    assert AuditEvent.objects.filter(action="project.transition.pass_completion_acceptance").count() == 1


def test_entrusted_completion_acceptance_is_recorded_as_entrusted(
    project: Any, api: Any, personas: dict[str, Any]
) -> None:
    from egovpm.projects.services import project_set_entrustment

    project = advance(project, actors(personas), "acceptance", start=dt.date(2026, 1, 5))
    project_set_entrustment(actor=personas["ndrc"], project_id=project.pk, entrusted=True, reason="小型项目")
    ready_for(project, "pass_completion_acceptance")
    r = move(api, project, "leader_a", "pass_completion_acceptance")
    assert r.status_code == 200, r.json()
    snapshot = CompletionAcceptance.objects.get(project=project)
    assert snapshot.entrusted and snapshot.accepted_by == personas["leader_a"]


def test_other_actions_leave_no_snapshot(project: Any, personas: dict[str, Any]) -> None:
    advance(project, actors(personas), "acceptance", start=dt.date(2026, 1, 5))
    assert not CompletionAcceptance.objects.exists()


# ---------------------------------------------------------------- completeness view and C7.2


def test_completeness_view_and_c72_follow_the_stages_passed(project: Any, api: Any, personas: dict[str, Any]) -> None:
    view = api("staff_p").get(f"/api/v1/projects/{project.pk}/archive-completeness").json()
    assert view["due"] == 0 and view["missing"] == 0
    assert compliance(api, project)["C7.2"]["status"] == "not_applicable"
    project = advance(project, actors(personas), "feasibility_study", start=dt.date(2026, 1, 5))
    # needs_analysis and proposal passed: needs-analysis report, proposal, proposal approval are due
    # (the reviews app's evidence for C10.1 may already have filed the first two)
    c72 = compliance(api, project)["C7.2"]
    assert c72["status"] == "fail" and c72["severity"] == "warning"
    assert "项目建议书批复" in c72["message"]
    assert "可行性研究报告" not in c72["message"]
    upload(api, project, "draft", "needs_analysis_report", "需求分析报告")  # unique category: any stage counts
    upload(api, project, "needs_analysis", "project_proposal", "项目建议书")
    upload(api, project, "feasibility_study", "approval_document", "批复（错放阶段）")  # approvals count per stage
    view = api("staff_a").get(f"/api/v1/projects/{project.pk}/archive-completeness").json()
    missing = [i for s in view["stages"] for i in s["items"] if i["missing"]]
    assert [(i["stage"], i["category"]) for i in missing] == [("proposal", "approval_document")]
    upload(api, project, "proposal", "approval_document", "项目建议书批复")
    c72 = compliance(api, project)["C7.2"]
    assert c72["status"] == "pass", c72
    assert api("staff_a").get(f"/api/v1/projects/{project.pk}/archive-completeness").json()["missing"] == 0


def test_optional_scope_items_are_never_missing(project: Any, api: Any, personas: dict[str, Any]) -> None:
    project = advance(project, actors(personas), "trial_operation", start=dt.date(2026, 1, 5))
    view = api("staff_a").get(f"/api/v1/projects/{project.pk}/archive-completeness").json()
    construction = next(s for s in view["stages"] if s["stage"] == "construction")
    optional = [i for i in construction["items"] if i["optional"]]
    assert optional and not any(i["missing"] for i in optional)
    assert {i["category"] for i in construction["items"] if i["missing"]} == {
        "tender_documents",
        "contract",
        "progress_report",
    }


def test_archive_pages(project: Any, personas: dict[str, Any], client: Any) -> None:
    from django.urls import reverse

    client.force_login(personas["archivist_assigned"])
    page = client.get(reverse("web:archives"))
    assert page.status_code == 200 and project.name in page.content.decode()
    tab = client.get(reverse("web:project_archives", kwargs={"pk": project.pk}))
    assert tab.status_code == 200
    body = tab.content.decode()
    assert 'id="acceptance-form"' in body and 'id="archive-package"' in body
    client.force_login(personas["archivist_other"])
    assert project.name not in client.get(reverse("web:archives")).content.decode()
    assert client.get(reverse("web:project_detail", kwargs={"pk": project.pk})).status_code == 404
    client.force_login(personas["staff_a"])
    body = client.get(reverse("web:project_archives", kwargs={"pk": project.pk})).content.decode()
    assert 'id="acceptance-form"' not in body


def test_archive_acceptance_through_the_web_form(project: Any, personas: dict[str, Any], client: Any) -> None:
    from django.urls import reverse

    client.force_login(personas["archivist_assigned"])
    url = reverse("web:archives_acceptance_add", kwargs={"pk": project.pk})
    bad = client.post(url, {**BODY, "accepted_on": "2027-01-01"})
    assert bad.status_code == 400 and not ArchiveAcceptance.objects.exists()
    ok = client.post(url, BODY)
    assert ok.status_code == 302 and ArchiveAcceptance.objects.count() == 1
    client.force_login(personas["staff_a"])
    assert client.post(url, BODY).status_code == 403


def test_inbox_shows_pending_archive_acceptance(project: Any, personas: dict[str, Any], client: Any) -> None:
    from django.urls import reverse

    advance(project, actors(personas), "acceptance", start=dt.date(2026, 1, 5))
    client.force_login(personas["archivist_assigned"])
    assert "C7.1" in client.get(reverse("web:inbox")).content.decode()


def test_department_cannot_see_another_departments_archive(project: Any, api: Any) -> None:
    assert api("staff_b").get(f"/api/v1/projects/{project.pk}/archive-completeness").status_code == 404
