"""Web forms of the security app: they shape and label input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.core.validators import StrictDateFormField, TextFormField
from egovpm.security.choices import ClassifiedTier, EvaluationResult, Network, Purpose

DATE = {"type": "date"}


def date_input() -> forms.DateInput:
    """An <input type="date">: its value must be YYYY-MM-DD whatever the language (Chinese formats
    a date as 2026/11/20, which the browser drops — the field showed empty, then "required")."""
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class SystemForm(forms.Form):
    name = TextFormField(label=_("System name"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    network = forms.ChoiceField(label=_("Network"), choices=Network.choices)
    is_new = forms.BooleanField(label=_("Newly built system"), required=False, initial=True)
    protection_level = forms.TypedChoiceField(
        label=_("Graded-protection level (等保)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("— not graded / classified —")), *[(n, _("Level %(n)s") % {"n": n}) for n in range(1, 6)]],
    )
    classified_tier = forms.ChoiceField(
        label=_("Classified tier (分保)"),
        required=False,
        choices=[("", _("— not classified —")), *ClassifiedTier.choices],
    )
    protection_in_needs_analysis = forms.BooleanField(
        label=_("The needs-analysis report states the protection requirements"), required=False
    )
    protection_in_design = forms.BooleanField(
        label=_("The preliminary design states the protection requirements"), required=False
    )
    filing_number = TextFormField(label=_("Public-security filing number"), max_length=100, required=False)
    filing_date = StrictDateFormField(label=_("Filing date"), required=False, widget=date_input())
    evaluation_date = StrictDateFormField(label=_("Evaluation date"), required=False, widget=date_input())
    evaluation_result = forms.ChoiceField(
        label=_("Evaluation result"), required=False, choices=[("", "—"), *EvaluationResult.choices]
    )
    migration_target_date = StrictDateFormField(
        label=_("Migration to the extranet by"),
        required=False,
        widget=date_input(),
        help_text=_("Existing public-service systems not on the extranet: the planned migration date (clause 9)."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ExceptionForm(forms.Form):
    reason = TextFormField(label=_("Reason for the exception"), widget=forms.Textarea(attrs={"rows": 2}))


class RiskAssessmentForm(forms.Form):
    assessed_on = StrictDateFormField(label=_("Assessed on"), widget=date_input())
    assessor = TextFormField(label=_("Assessor"), max_length=200)
    summary = TextFormField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    residual_risks = TextFormField(label=_("Residual risks"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.ChoiceField(label=_("Assessment report (document)"), required=False)

    def __init__(self, *args: Any, documents: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document"]).choices = [("", _("— none —")), *(documents or [])]
