"""Put a service's DomainError on the screen, in the user's language.

The words come from the error's codes (core/errors.py: each app's message table, rendered through
the translation catalogue in the active language); nothing here reads or matches a sentence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from egovpm.core.errors import CoreError, DomainError, Forbidden, NotFound, RuleViolation, render
from egovpm.web.templatetags.egovpm_ui import clause_label


def _message(error: DomainError) -> str:
    if isinstance(error, RuleViolation):  # the rules themselves are listed below it
        return render(CoreError.RULE_VIOLATION)
    if error.as_reason() is None and error.status == 400:
        # a refusal still raised in the legacy form (English sentence): the generic words
        return render(CoreError.INVALID)
    return error.message


def _field_messages(error: DomainError) -> dict[str, Any]:
    if error.as_reason() is None:  # legacy form: its details as they are
        return error.details if isinstance(error.details, dict) else {}
    details = error.details or {}
    return {k: details[k] for k in error.fields}


def violations(error: DomainError, language: str) -> list[str]:
    if not isinstance(error, RuleViolation) or not isinstance(error.details, dict):
        return []
    out = []
    for v in error.details.get("violations", []):
        message = v.get("message_en") if language == "en" else v.get("message_zh")
        out.append(f"{v.get('rule')} · {clause_label(v.get('clause', ''))}: {message or v.get('message')}")
    return out


def attach(form: forms.Form, error: DomainError, language: str) -> None:
    """Show a refusal on the form the user filled in; what they typed stays in the form."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message)
    alias = {"user": "username", "as": "task"}
    placed = False
    for field, text in _field_messages(error).items():
        target = alias.get(field, field)
        if target in form.fields:
            form.add_error(target, str(text))
            placed = True
    if not placed or error.status != 400:
        form.add_error(None, _message(error))
    for line in violations(error, language):
        form.add_error(None, line)
