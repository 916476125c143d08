"""Turn a service's DomainError into words for the screen, in the user's language.

Services speak English to the API; here the common refusals get their translated sentence, and
anything unknown falls back to the service's own message (never hidden)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from egovpm.core.errors import DomainError, Forbidden, NotFound, RuleViolation
from egovpm.web.templatetags.egovpm_ui import clause_label


def _field_text(field: str, detail: Any) -> str:
    text = str(detail)
    if text == "required":
        if field == "comment":
            return _("This action needs a comment stating the reason.")
        if field == "name":
            return _("A project needs a name.")
        return _("This field is required.")
    if field == "effective_date":
        if text == "in the future":
            return _("The effective date may not lie in the future.")
        if text.startswith("before "):
            return _("The effective date may not lie before the previous stage action (%(date)s).") % {
                "date": text.removeprefix("before ")
            }
        if text == "invalid date":
            return _("Enter a valid date.")
    if field == "participating_departments" and "lead department" in text:
        return _("The lead department cannot also participate.")
    if field == "file" and text == "the file is empty":
        return _("The file is empty.")
    if field == "file" and text.startswith("the file is larger"):
        return _("The file is too large.")
    if field == "user" and text == "unknown":
        return _("Unknown user.")
    if field == "user" and text == "wrong role":
        return _("This user lacks the role this task needs.")
    return text


def _message(error: DomainError) -> str:
    if error.code == "illegal_transition":
        return _("This action is not possible from the project's current stage (it may have just changed).")
    if error.code == "stale_version":
        return _("The project was changed by someone else in the meantime; reload the page and try again.")
    if error.code == "duplicate":
        return _("This user is already assigned to this project for this task.")
    if error.code == "duplicate_code":
        return _("This project code is already in use.")
    if isinstance(error, RuleViolation):
        return _("The action is blocked by the rules below; nothing was changed.")
    if error.status == 400:
        return _("The input was not accepted; please check the fields marked below.")
    return error.message


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
    details = error.details if isinstance(error.details, dict) else {}
    alias = {"user": "username", "as": "task"}
    placed = False
    for field, detail in details.items():
        target = alias.get(field, field)
        if target in form.fields:
            form.add_error(target, _field_text(field, detail))
            placed = True
    if not placed or error.status != 400:
        form.add_error(None, _message(error))
    for line in violations(error, language):
        form.add_error(None, line)
