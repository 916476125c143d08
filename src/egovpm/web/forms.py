"""Web forms: they only shape and label input. Every decision stays in the services, whose
DomainErrors are attached back to these forms (`attach_error`) so that what was typed is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from egovpm.accounts import lockout
from egovpm.accounts.backends import LockedOut
from egovpm.accounts.models import Department
from egovpm.core.validators import DATE_MESSAGE, StrictDateFormField, TextFormField
from egovpm.documents.choices import Category, Retention
from egovpm.projects.choices import AssignmentTask, Stage


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
        "locked": _(
            "Too many failed login attempts: this account is locked for %(minutes)s minutes. "
            "Try again later or ask the security administrator."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    def clean(self) -> dict[str, Any]:
        # django.contrib.auth.authenticate() swallows the backend's LockedOut (a PermissionDenied)
        # and answers None, so a refused login also asks the lockout whether it was the reason.
        try:
            return super().clean()
        except LockedOut:
            raise self._locked()
        except forms.ValidationError as e:
            username = self.cleaned_data.get("username")
            if e.code == "invalid_login" and username and lockout.locked_until(username) is not None:
                raise self._locked()
            raise

    def _locked(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"minutes": settings.EGOVPM_LOCKOUT_MINUTES}
        )


def department_choices(exclude_id: int | None) -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in Department.objects.exclude(pk=exclude_id).order_by("kind", "code")]


class ProjectForm(forms.Form):
    name = TextFormField(label=_("Project name"), max_length=200)
    participating_departments = forms.MultipleChoiceField(
        label=_("Participating departments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joint_central_local = forms.BooleanField(label=_("Joint central–local project"), required=False)
    responsible_leader_name = TextFormField(label=_("Responsible leader (name)"), max_length=100, required=False)
    responsible_leader_title = TextFormField(label=_("Responsible leader (title)"), max_length=100, required=False)
    business_unit = TextFormField(label=_("Business unit"), max_length=200, required=False)
    technical_unit = TextFormField(label=_("Technical-support unit"), max_length=200, required=False)
    construction_goals = TextFormField(
        label=_("Construction goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    main_content = TextFormField(
        label=_("Main construction content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    service_outsourcing = forms.BooleanField(label=_("Service outsourcing"), required=False)
    data_hosting = forms.BooleanField(label=_("Data hosting"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    TEXT = (
        "name",
        "responsible_leader_name",
        "responsible_leader_title",
        "business_unit",
        "technical_unit",
        "construction_goals",
        "main_content",
    )
    BOOL = ("joint_central_local", "service_outsourcing", "data_hosting")

    def __init__(self, *args: Any, lead_department_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participating_departments"].choices = department_choices(lead_department_id)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {f: data.get(f, "") for f in self.TEXT}
        out.update({f: bool(data.get(f)) for f in self.BOOL})
        out["participating_departments"] = list(data.get("participating_departments") or [])
        return out


class TransitionForm(forms.Form):
    action = TextFormField(widget=forms.HiddenInput)
    effective_date = StrictDateFormField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date on the approval or acceptance document; today when left empty."),
    )
    approval_reference = TextFormField(label=_("Approval document number"), max_length=100, required=False)
    comment = TextFormField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    stage = forms.ChoiceField(label=_("Stage"), choices=[(s.value, s.label) for s in Stage if s != Stage.CANCELLED])
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = TextFormField(label=_("Title"), max_length=300, required=False)
    retention = forms.ChoiceField(
        label=_("Retention period"),
        required=False,
        choices=[("", _("Default for the category")), *Retention.choices],
    )


class AssignmentForm(forms.Form):
    username = TextFormField(label=_("Username"), max_length=150)
    task = forms.ChoiceField(label=_("Task"), choices=AssignmentTask.choices)


class AuditFilterForm(forms.Form):
    actor = TextFormField(label=_("Actor (username)"), required=False)
    action = TextFormField(label=_("Action (prefix)"), required=False)
    date_from = StrictDateFormField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = StrictDateFormField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AsOfForm(forms.Form):
    as_of = StrictDateFormField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def value(self, default: dt.date) -> dt.date:
        if self.is_bound and not self.is_valid():
            raise BadRequest(DATE_MESSAGE)  # the 400 page, never a silent "today" (nor a 500)
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default
