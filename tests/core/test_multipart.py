"""Issue 9 review: the text rule holds whatever the body's media type.

The API's default parser is the strict JSON parser alone (config/settings.py); only the upload
views declare MultiPartParser. A multipart body to a JSON endpoint is a 415 in the error body of
api.md, and every input text field of every API serializer is a `ShortText`/`LongText` of
`egovpm.core.validators`, so the rule holds even on the multipart routes (opinions, uploads)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from rest_framework import serializers

from egovpm.core.validators import LongText, ShortText

pytestmark = pytest.mark.django_db

# CharFields whose own format already excludes the refused characters
RESTRICTED = serializers.EmailField | serializers.SlugField | serializers.URLField
SRC = Path(__file__).resolve().parents[2] / "src" / "egovpm"


def test_multipart_to_a_json_endpoint_is_a_415_and_changes_nothing(project: Any, api: Any) -> None:
    before = project.construction_goals
    r = api("staff_a").patch(
        f"/api/v1/projects/{project.pk}", {"construction_goals": "abc\u202eevil"}, format="multipart"
    )
    assert r.status_code == 415, r.content
    body = r.json()
    assert body["code"] == "unsupported_media_type" and body["message"] and "details" in body
    project.refresh_from_db()
    assert project.construction_goals == before


def test_form_encoded_to_a_json_endpoint_is_a_415(project: Any, api: Any) -> None:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/transition",
        "action=submit&comment=a%E2%80%AEb",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 415, r.content


def test_json_patch_of_long_text_with_bidi_is_400_naming_the_field(project: Any, api: Any) -> None:
    r = api("staff_a").patch(f"/api/v1/projects/{project.pk}", {"main_content": "a\u202eb"}, format="json")
    assert r.status_code == 400 and "main_content" in r.json()["details"]


# ------------------------------------------------------------------ no bare CharField on input


def _input_serializer_names() -> dict[str, set[str]]:
    """Per api module, the names of the classes it instantiates with `data=` (its input
    serializers) and those it documents as a request body (`request=X`, `{"…": X}`)."""
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.glob("*/api.py")):
        module = f"egovpm.{path.parent.name}.api"
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and any(k.arg == "data" for k in node.keywords):
                    names.add(node.func.id)
                for k in node.keywords:
                    if k.arg == "request":
                        values = k.value.values if isinstance(k.value, ast.Dict) else [k.value]
                        names.update(v.id for v in values if isinstance(v, ast.Name))
        found[module] = names
    return found


def _bare_char_fields(serializer: serializers.BaseSerializer, prefix: str = "") -> list[str]:
    bare = []
    for name, field in serializer.fields.items():
        where = f"{prefix}{name}"
        for f, label in _with_children(field, where):
            if f.read_only:
                continue
            if isinstance(f, serializers.BaseSerializer):
                bare += _bare_char_fields(f.child if isinstance(f, serializers.ListSerializer) else f, f"{label}.")
            elif isinstance(f, serializers.CharField) and not isinstance(f, ShortText | LongText | RESTRICTED):
                bare.append(label)
    return bare


def _with_children(field: Any, label: str) -> list[tuple[Any, str]]:
    out = [(field, label)]
    child = getattr(field, "child", None)
    if child is not None and not isinstance(field, serializers.ListSerializer):
        out += _with_children(child, f"{label}[]")
    return out


def test_the_scan_sees_the_input_serializers() -> None:
    names = _input_serializer_names()
    assert "OpinionIn" in names["egovpm.reviews.api"]
    assert "ProjectPatch" in names["egovpm.projects.api"]
    assert "TransitionIn" in names["egovpm.projects.api"]


def test_no_input_serializer_has_a_bare_char_field() -> None:
    offenders = []
    for module_name, names in _input_serializer_names().items():
        module = importlib.import_module(module_name)
        for name in sorted(names):
            cls = getattr(module, name, None)
            if not (isinstance(cls, type) and issubclass(cls, serializers.BaseSerializer)):
                continue
            offenders += [f"{module_name}.{name}.{f}" for f in _bare_char_fields(cls())]
    assert offenders == [], "use ShortText/LongText of egovpm.core.validators: " + ", ".join(offenders)


def test_inline_request_serializers_are_checked_too() -> None:
    """The multipart upload documents its fields with an inline serializer (documents/api.py)."""
    from egovpm.documents.api import UploadIn

    assert _bare_char_fields(UploadIn) == []
