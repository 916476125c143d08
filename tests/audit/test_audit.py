"""The audit trail (domain.md §1 "every change is audited"; style.md habit 2): every write leaves a
row with actor, action, object, old/new, time and channel; rows are append-only and chained."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.tampering import disable_append_only_trigger
from conftest import NOW
from egovpm.accounts import services as accounts
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import audit_chain_verify, current_channel


@pytest.fixture
def system_channel() -> Iterator[None]:
    """The CLI sets the channel for its whole process; put it back after the test."""
    token = current_channel.set("system")
    yield
    current_channel.reset(token)


@pytest.fixture
def tamper(db: Any) -> None:
    """Play the intruder: on PostgreSQL the append-only trigger would refuse the edits these tests
    make on purpose, so this test's transaction disables it (as the table's owner; until the rollback)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        disable_append_only_trigger()


def last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None, f"no audit row for {action}"
    return event


# --- every write leaves a row --------------------------------------------------------------------


def test_project_create_update_transition_over_api(api: Any, personas: dict[str, Any]) -> None:
    client = api("staff_a")
    r = client.post("/api/v1/projects", {"name": "审计测试项目", "lead_department": "moa"}, format="json")
    pid = r.json()["id"]
    created = last("project.create")
    assert created.actor_username == "staff_a"
    assert created.actor == personas["staff_a"]
    assert created.channel == "api"
    assert created.object_type == "projects.project"
    assert created.object_id == pid
    assert created.project_id == pid
    assert created.old is None
    assert created.new["name"] == "审计测试项目"
    assert created.new["stage"] == "draft"
    assert created.at == NOW

    client.patch(
        f"/api/v1/projects/{pid}",
        {"business_unit": "业务司", "technical_unit": "信息中心", "responsible_leader": {"name": "张", "title": "长"}},
        format="json",
    )
    updated = last("project.update")
    assert updated.old["business_unit"] == ""
    assert updated.new["business_unit"] == "业务司"
    assert updated.channel == "api"

    client.post(f"/api/v1/projects/{pid}/transition", {"action": "submit_needs_analysis"}, format="json")
    moved = last("project.transition.submit_needs_analysis")
    assert moved.old == {"stage": "draft"}
    assert moved.new["stage"] == "needs_analysis"
    assert moved.object_id == pid


def test_entrustment_is_audited(project: Any, api: Any) -> None:
    api("ndrc").post(
        f"/api/v1/projects/{project.pk}/entrust-completion", {"entrusted": True, "reason": "规模较小"}, format="json"
    )
    event = last("project.entrust_completion")
    assert event.actor_username == "ndrc"
    assert event.old["completion_entrusted"] is False
    assert event.new == {"completion_entrusted": True, "reason": "规模较小"}


def test_document_upload_is_audited(project: Any, api: Any) -> None:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/documents",
        {
            "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 content"),
            "stage": "draft",
            "category": "other",
            "title": "说明",
        },
        format="multipart",
    )
    event = last("document.upload")
    assert event.object_id == r.json()["id"]
    assert event.project_id == str(project.pk)
    assert event.new["sha256"] == r.json()["sha256"]
    assert event.channel == "api"


def test_assignment_add_and_remove_are_audited(project: Any, api: Any) -> None:
    client = api("ndrc")
    r = client.post(
        f"/api/v1/projects/{project.pk}/assignments", {"user": "inspector_other", "as": "evaluator"}, format="json"
    )
    assert r.status_code == 201
    added = last("assignment.add")
    assert added.actor_username == "ndrc"
    assert added.new == {"user": "inspector_other", "task": "evaluator"}
    assert added.project_id == str(project.pk)
    assert added.channel == "api"
    client.delete(f"/api/v1/projects/{project.pk}/assignments/inspector_other")
    removed = last("assignment.remove")
    assert removed.old == {"user": "inspector_other", "task": "evaluator"}


def test_user_and_department_writes_are_audited(personas: dict[str, Any], system_channel: None) -> None:
    admin = personas["sys_admin"]
    accounts.department_add(actor=admin, code="mic", name="丙部委", kind="central", number="33")
    dep = last("department.add")
    assert dep.actor_username == "sys_admin"
    assert dep.new["code"] == "mic"
    assert dep.new["kind"] == "central"

    accounts.user_add(
        actor=admin, username="newbie", department_code="mic", roles=["dept_staff"], password="Xy-9876543z"
    )
    added = last("user.add")
    assert added.object_id == str(accounts.User.objects.get(username="newbie").pk)
    assert added.new["roles"] == ["dept_staff"]
    assert "Xy-9876543z" not in str(added.new)

    accounts.user_set(actor=admin, username="newbie", roles=["dept_leader"], active=False, password="Zz-1234567q")
    changed = last("user.set")
    assert changed.old["roles"] == ["dept_staff"]
    assert changed.new["roles"] == ["dept_leader"]
    assert changed.old["is_active"] is True
    assert changed.new["is_active"] is False
    assert "Zz-1234567q" not in str(changed.new) + str(changed.old)
    assert changed.channel == "system"


def test_token_issue_is_audited(personas: dict[str, Any], api: Any) -> None:
    from conftest import PASSWORD

    r = api(None).post("/api/v1/auth/token", {"username": "staff_b", "password": PASSWORD}, format="json")
    assert r.status_code == 200
    event = last("auth.token_issue")
    assert event.actor_username == "staff_b"
    assert event.channel == "api"
    assert r.json()["token"] not in str(event.new) + str(event.old)


def test_cli_writes_are_channel_cli(db: Any, system_channel: None, capsys: Any) -> None:
    from egovpm import cli

    assert cli.main(["department", "add", "cli-dep", "--name", "命令行部门", "--kind", "local"]) == 0
    assert last("department.add").channel == "cli"
    assert last("department.add").actor_username == "system"


def test_refused_write_leaves_no_row(project: Any, api: Any) -> None:
    before = AuditEvent.objects.exclude(action="auth.token_issue").count()
    client = api("staff_a")
    client.post(f"/api/v1/projects/{project.pk}/transition", {"action": "approve_proposal"}, format="json")
    client.patch(f"/api/v1/projects/{project.pk}", {"stage": "construction"}, format="json")
    api("staff_b").patch(f"/api/v1/projects/{project.pk}", {"name": "x"}, format="json")
    assert AuditEvent.objects.exclude(action="auth.token_issue").count() == before


# --- append-only and chained ---------------------------------------------------------------------


def test_rows_cannot_be_updated_or_deleted(project: Any) -> None:
    event = AuditEvent.objects.order_by("seq").first()
    event.action = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action != "tampered"


def test_chain_is_intact_after_writes(project: Any, personas: dict[str, Any]) -> None:
    from conftest import advance

    advance(project, personas, "construction")
    assert AuditEvent.objects.count() > 20
    assert audit_chain_verify() == []
    # the global seq orders the page (it may skip a number where a write rolled back); within a
    # chain the links are numbered without gaps
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(set(seqs)) == len(seqs)
    for chain in set(AuditEvent.objects.values_list("chain", flat=True)):
        links = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("chain_seq", flat=True))
        assert links == list(range(1, len(links) + 1))


def test_chain_detects_tampered_row(project: Any, tamper: None) -> None:
    victim = AuditEvent.objects.order_by("seq")[3]
    AuditEvent.objects.filter(pk=victim.pk).update(new={"name": "改过的名称"})
    assert audit_chain_verify() == [victim.seq]


def test_chain_detects_tampered_actor(project: Any, tamper: None) -> None:
    victim = AuditEvent.objects.order_by("seq")[5]
    AuditEvent.objects.filter(pk=victim.pk).update(actor_username="somebody_else")
    assert victim.seq in audit_chain_verify()


def test_chain_detects_removed_row(project: Any, tamper: None) -> None:
    victim = AuditEvent.objects.order_by("seq")[2]
    AuditEvent.objects.filter(pk=victim.pk).delete()
    assert audit_chain_verify()


def test_chain_detects_removed_last_row(project: Any, tamper: None) -> None:
    """Removing the newest rows leaves no gap; the chain head must still notice."""
    newest = AuditEvent.objects.order_by("-seq").first()
    AuditEvent.objects.filter(pk=newest.pk).delete()
    assert audit_chain_verify() != []


# --- reading: audit_admin only -------------------------------------------------------------------


def rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def history(project: Any, personas: dict[str, Any], clock: Any) -> Any:
    """Writes on two days: 18 Nov (Beijing) and NOW (20 Nov)."""
    from egovpm.projects.services import project_update

    clock.set_now(dt.datetime(2026, 11, 18, 3, 0, tzinfo=dt.UTC))
    project_update(actor=personas["staff_a"], project_id=project.pk, changes={"name": "十八日改名"})
    clock.set_now(NOW)
    project_update(actor=personas["leader_a"], project_id=project.pk, changes={"name": "二十日改名"})
    return project


def test_audit_list_for_audit_admin(history: Any, api: Any) -> None:
    results = rows(api("audit_admin").get("/api/v1/audit"))
    assert results
    assert [r["seq"] for r in results] == sorted((r["seq"] for r in results), reverse=True)
    assert {"seq", "at", "actor_username", "channel", "action", "object_id", "old", "new"} <= set(results[0])


@pytest.mark.parametrize("persona", ["sys_admin", "sec_admin", "ndrc", "staff_a", "leader_a", "mof"])
def test_audit_refused_to_everyone_else(persona: str, api: Any) -> None:
    client = api(persona)
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get("/api/v1/audit/export").status_code == 403


def test_audit_anonymous_is_401(api: Any) -> None:
    assert api(None).get("/api/v1/audit").status_code == 401


def test_audit_filters(history: Any, api: Any) -> None:
    client = api("audit_admin")
    by_actor = rows(client.get("/api/v1/audit", {"actor": "leader_a"}))
    assert by_actor and {r["actor_username"] for r in by_actor} == {"leader_a"}

    updates = rows(client.get("/api/v1/audit", {"action": "project.update"}))
    assert [r["new"]["name"] for r in updates] == ["二十日改名", "十八日改名"]

    prefix = rows(client.get("/api/v1/audit", {"action": "project."}))
    assert {r["action"] for r in prefix} >= {"project.create", "project.update"}

    on_18 = rows(client.get("/api/v1/audit", {"date_from": "2026-11-18", "date_to": "2026-11-18"}))
    assert [r["new"]["name"] for r in on_18] == ["十八日改名"]
    from_19 = rows(client.get("/api/v1/audit", {"date_from": "2026-11-19", "action": "project.update"}))
    assert [r["new"]["name"] for r in from_19] == ["二十日改名"]
    to_19 = rows(client.get("/api/v1/audit", {"date_to": "2026-11-19", "action": "project.update"}))
    assert [r["new"]["name"] for r in to_19] == ["十八日改名"]

    combined = rows(client.get("/api/v1/audit", {"actor": "staff_a", "date_from": "2026-11-20"}))
    assert all(r["actor_username"] == "staff_a" for r in combined)
    assert "project.update" not in {r["action"] for r in combined}

    assert client.get("/api/v1/audit", {"date_from": "18/11/2026"}).status_code == 400


def test_audit_date_filter_uses_beijing_days(project: Any, personas: dict[str, Any], api: Any, clock: Any) -> None:
    from egovpm.projects.services import project_update

    # 17:30 UTC on 18 Nov is 01:30 on 19 Nov in Beijing
    clock.set_now(dt.datetime(2026, 11, 18, 17, 30, tzinfo=dt.UTC))
    project_update(actor=personas["staff_a"], project_id=project.pk, changes={"name": "深夜改名"})
    clock.set_now(NOW)
    on_19 = rows(api("audit_admin").get("/api/v1/audit", {"date_from": "2026-11-19", "date_to": "2026-11-19"}))
    assert [r["new"]["name"] for r in on_19] == ["深夜改名"]


def test_csv_export(history: Any, api: Any) -> None:
    r = api("audit_admin").get("/api/v1/audit/export", {"action": "project.update"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = table[0], table[1:]
    assert {"seq", "at", "actor", "channel", "action"} <= set(header)
    assert len(body) == 2
    assert [row[header.index("actor")] for row in body] == ["leader_a", "staff_a"]
    assert all(row[header.index("action")] == "project.update" for row in body)
    assert "十八日改名" in text


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/audit", "/api/v1/audit/export"])
def test_no_endpoint_modifies_audit(method: str, path: str, project: Any, api: Any) -> None:
    before = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    r = getattr(api("audit_admin"), method)(path, {"action": "x"}, format="json")
    assert r.status_code == 405
    after = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    assert after[: len(before)] == before


def test_no_audit_detail_endpoint(project: Any, api: Any) -> None:
    assert api("audit_admin").delete("/api/v1/audit/1").status_code == 404


@pytest.mark.django_db
def test_chain_holds_when_the_clock_has_a_beijing_offset(clock, departments):
    """EGOVPM_NOW is usually written in Beijing time; the chain must verify all the same."""
    from egovpm.accounts.services import department_add
    from egovpm.audit.services import audit_chain_verify

    clock.set_now(dt.datetime.fromisoformat("2027-08-01T09:00:00+08:00"))
    department_add(actor=None, code="bj", name="北京某局", kind="local", division_code="110000", number="51")
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_csv_export_does_not_carry_formulas(project, personas, api):
    """A document titled like a spreadsheet formula is exported as text, not as a formula."""
    import csv
    import io

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.documents.services import document_upload

    document_upload(
        actor=personas["staff_a"],
        project_id=project.pk,
        file=SimpleUploadedFile("x.pdf", b"%PDF x", content_type="application/pdf"),
        stage="draft",
        category="other",
        title='=HYPERLINK("http://evil.example/","点击")',
        max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
    )
    body = api("audit_admin").get("/api/v1/audit/export").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    upload = next(r for r in rows if r[4] == "document.upload")
    assert json.loads(upload[10])["title"].startswith("=HYPERLINK")  # new values are JSON
