"""The project pages' forms: they shape and label input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import Department
from egovpm.core.validators import StrictDateFormField, TextFormField
from egovpm.projects.choices import AssignmentTask
from egovpm.projects.services import DERIVED_BOOL, EDITABLE_BOOL, EDITABLE_TEXT
from egovpm.web.people import PersonField


def department_choices(exclude_id: int | None) -> list[tuple[str, str]]:
    departments = Department.objects.order_by("kind", "code")
    if exclude_id is not None:
        departments = departments.exclude(pk=exclude_id)
    return [(d.code, d.name) for d in departments]


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

    TEXT = EDITABLE_TEXT  # the fields project_update takes, named once in the service
    BOOL = (*EDITABLE_BOOL, *DERIVED_BOOL)

    def __init__(self, *args: Any, lead_department_id: int | None = None, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:  # editing: the delivery-mode flags follow the recorded modes
            for f in DERIVED_BOOL:
                field = self.fields[f]
                field.disabled = True
                field.initial = getattr(project, f)
                field.help_text = _("Follows the delivery modes recorded on the Procurement tab.")
        cast(forms.ChoiceField, self.fields["participating_departments"]).choices = department_choices(
            lead_department_id
        )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {f: data.get(f, "") for f in self.TEXT}
        out.update({f: bool(data.get(f)) for f in self.BOOL})
        out["participating_departments"] = list(data.get("participating_departments") or [])
        return out


class AssignmentForm(forms.Form):
    username = PersonField(label=_("Person"))  # by name (web/people.py); an exact login name works too
    task = forms.ChoiceField(label=_("Task"), choices=AssignmentTask.choices)


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
