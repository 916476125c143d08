"""Audit actions are an enum (issue 10 item 3): one list (egovpm/audit/actions.py), every write names
one of its members, each has a Chinese label, and a row with any other action is refused."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from egovpm.audit.actions import AuditAction, action_label
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import audit_record
from egovpm.projects.choices import Action

SRC = Path(__file__).resolve().parents[2] / "src" / "egovpm"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["test.event", "project.delete", "PROJECT.CREATE", ""])
def test_an_unlisted_action_is_refused_and_nothing_is_written(action: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_record(actor=None, action=action, object_type="test", object_id="1")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_listed_action_is_stored_as_its_plain_value() -> None:
    event = audit_record(actor=None, action=AuditAction.STORAGE_REPAIR, object_type="storage", object_id="blobs")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "storage.repair" and type(stored.action) is str
    assert type(event.action) is str  # what was hashed is what a reloaded row holds


def test_every_stage_transition_has_its_action() -> None:
    for value in Action.values:
        assert AuditAction.transition(value) == f"project.transition.{value}"
    transitions = {a for a in AuditAction.values if a.startswith("project.transition.")}
    assert transitions == {f"project.transition.{v}" for v in Action.values}


def test_every_action_has_a_chinese_label() -> None:
    with translation.override("zh-hans"):
        labels = {a.value: str(a.label) for a in AuditAction}
    untranslated = {v: label for v, label in labels.items() if not CJK.search(label)}
    assert untranslated == {}, "add these to src/egovpm/audit/locale/zh_Hans/LC_MESSAGES/django.po"
    assert len(set(labels.values())) == len(labels), "two actions read the same"
    with translation.override("zh-hans"):
        assert action_label("project.transition.approve_proposal") == "批复项目建议书"
        assert action_label("legacy.unlisted") == "legacy.unlisted"  # an old row still shows


def _audit_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name == "audit_record":
                    calls.append((path, node))
    return calls


def _names_listed_action(expr: ast.expr, allowed_names: set[str]) -> bool:
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "AuditAction":
        return expr.attr in AuditAction.__members__
    if isinstance(expr, ast.IfExp):
        return _names_listed_action(expr.body, allowed_names) and _names_listed_action(expr.orelse, allowed_names)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        return isinstance(expr.func.value, ast.Name) and expr.func.value.id == "AuditAction"
    # a parameter typed AuditAction (e.g. ops/backup.py's _audit), checked by mypy at its callers
    return isinstance(expr, ast.Name) and expr.id in allowed_names


def test_every_audit_record_call_in_src_names_an_enum_member() -> None:
    calls = _audit_calls()
    assert len(calls) >= 40, "the scan found too few audit_record calls"
    offenders: list[str] = []
    for path, call in calls:
        action = next((k.value for k in call.keywords if k.arg == "action"), None)
        if action is None or not _names_listed_action(action, {"action"}):
            where = f"{path.relative_to(SRC.parent)}:{call.lineno}"
            offenders.append(f"{where}: {ast.unparse(action) if action is not None else 'no action='}")
    assert offenders == []


@pytest.mark.parametrize(
    "source", ['audit_record(action="project.create")', "audit_record(action=AuditAction.NO_SUCH)", "audit_record()"]
)
def test_the_scan_catches_what_is_not_a_member(source: str) -> None:
    call: Any = ast.parse(source).body[0]
    action = next((k.value for k in call.value.keywords if k.arg == "action"), None)
    assert action is None or not _names_listed_action(action, set())


@pytest.mark.django_db
def test_the_audit_page_shows_the_chinese_label_beside_the_stored_value(personas: dict[str, Any]) -> None:
    from django.test import Client
    from django.urls import reverse

    from conftest import make_project

    make_project(personas["staff_a"])
    client = Client()
    client.force_login(personas["audit_admin"])
    page = client.get(reverse("web:audit")).content.decode()  # Chinese first (ui.md)
    assert "新建项目" in page  # the label people read
    assert 'title="project.create"' in page  # the stored value, on hover
