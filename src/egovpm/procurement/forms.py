"""Web forms of the procurement app. They only carry what was typed: services.clean validates
(the same refusals as the API and the import), and web.errors.attach puts them on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.procurement.choices import Category, DeliveryModeKind, Method


class ProcurementForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    method = forms.ChoiceField(label=_("Procurement method"), choices=Method.choices)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=1000)
    amount = forms.CharField(
        label=_("Contract amount (yuan)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "amount-input"}),
    )
    supplier = forms.CharField(label=_("Supplier"), required=False, max_length=1000)
    supplier_credit_code = forms.CharField(label=_("Unified social credit code"), required=False, max_length=100)
    contract_no = forms.CharField(label=_("Contract number"), required=False, max_length=1000)
    contract_date = forms.CharField(
        label=_("Contract date"), required=False, max_length=20, widget=forms.DateInput(attrs={"type": "date"})
    )
    estimate_line = forms.CharField(label=_("Sub-project code (optional)"), required=False, max_length=100)
    secure_controllable = forms.BooleanField(label=_("Secure and controllable (自主可控)"), required=False)
    secure_controllable_basis = forms.CharField(
        label=_("Basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.ChoiceField(label=_("Evidence document (optional)"), required=False, choices=())
    non_tender_reason = forms.CharField(
        label=_("Reason for not tendering"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, evidence_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        evidence = self.fields["evidence"]
        assert isinstance(evidence, forms.ChoiceField)
        evidence.choices = [("", "—"), *(evidence_choices or [])]

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["evidence"] = data.get("evidence") or None
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"))


class DeliveryModesForm(forms.Form):
    """Both modes at once: a mode is recorded when its box is ticked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for mode, label in DeliveryModeKind.choices:
            self.fields[f"{mode}_on"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{mode}_provider"] = forms.CharField(label=_("Provider"), required=False, max_length=1000)
            self.fields[f"{mode}_scope"] = forms.CharField(label=_("Scope"), required=False, max_length=5000)
            self.fields[f"{mode}_contract_reference"] = forms.CharField(
                label=_("Contract reference"), required=False, max_length=1000
            )

    def modes(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        return [
            {
                "mode": mode,
                "provider": d[f"{mode}_provider"],
                "scope": d[f"{mode}_scope"],
                "contract_reference": d[f"{mode}_contract_reference"],
            }
            for mode in DeliveryModeKind.values
            if d.get(f"{mode}_on")
        ]
