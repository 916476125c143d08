"""Web forms of the inspections app: they collect what the user typed; the services check it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.core.roles import Role
from egovpm.core.validators import StrictDateFormField, TextFormField
from egovpm.inspections.choices import Area, InspectionKind, Severity
from egovpm.web.people import PeopleMultipleField, people_of

INSPECTOR_ROLES = (Role.INSPECTOR.value,)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    scope = forms.MultipleChoiceField(label=_("Scope"), choices=Area.choices, widget=forms.CheckboxSelectMultiple)
    inspectors = PeopleMultipleField(source="inspectors", label=_("Inspectors"))
    co_organisers = forms.MultipleChoiceField(
        label=_("Co-organising departments"), choices=(), required=False, widget=forms.SelectMultiple
    )
    started_on = StrictDateFormField(label=_("Started on"), widget=DATE)

    def __init__(self, *args: Any, inspectors: Any = (), departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # by name, department and role, with a search (web/_people_picker.html)
        cast(PeopleMultipleField, self.fields["inspectors"]).load(people_of(list(inspectors), INSPECTOR_ROLES))
        cast(forms.ChoiceField, self.fields["co_organisers"]).choices = [(d.code, d.name) for d in departments]


class FindingForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=())
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = TextFormField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    rectification_required = forms.BooleanField(label=_("Rectification required"), required=False, initial=True)
    due_date = StrictDateFormField(label=_("Rectify by"), required=False, widget=DATE)

    def __init__(self, *args: Any, scope: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Area.choices)
        cast(forms.ChoiceField, self.fields["area"]).choices = [(a, labels.get(a, a)) for a in scope]


class IssueForm(forms.Form):
    ended_on = StrictDateFormField(label=_("Ended on"), widget=DATE)


class AnswerForm(forms.Form):
    text = TextFormField(label=_("Rectification done"), widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.MultipleChoiceField(
        label=_("Evidence on file"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(label=_("Upload evidence"), required=False)
    answered_on = StrictDateFormField(label=_("Answered on"), required=False, widget=DATE)

    def __init__(self, *args: Any, documents: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["documents"]).choices = [(str(d.pk), d.title) for d in documents]


class CloseForm(forms.Form):
    comment = TextFormField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    comment = TextFormField(label=_("Why the answer is not enough"), widget=forms.Textarea(attrs={"rows": 2}))
    due_date = StrictDateFormField(label=_("New due date"), required=False, widget=DATE)
