"""The audit log page's filter form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.core.validators import StrictDateFormField, TextFormField


class AuditFilterForm(forms.Form):
    actor = TextFormField(label=_("Actor (username)"), required=False)
    action = TextFormField(label=_("Action (prefix)"), required=False)
    date_from = StrictDateFormField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = StrictDateFormField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
