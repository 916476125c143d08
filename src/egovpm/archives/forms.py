"""Web forms of the archives app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.archives.choices import AcceptanceResult
from egovpm.core.validators import StrictDateFormField, TextFormField


class AcceptanceForm(forms.Form):
    # YYYY-MM-DD whatever the language: a Chinese 2026/11/20 is dropped by the browser's date input,
    # which then showed empty (the view's default, today in Beijing, lost) and was refused as missing
    accepted_on = StrictDateFormField(
        label=_("Accepted on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    organizer = TextFormField(label=_("Organiser"), max_length=200)
    result = forms.ChoiceField(label=_("Result"), choices=AcceptanceResult.choices)
    opinion = TextFormField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
