"""The documents tab's forms: upload, and withdraw (撤回) with a reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.core.validators import TextFormField
from egovpm.documents.choices import Category, Retention
from egovpm.projects.choices import Stage


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


class WithdrawForm(forms.Form):
    reason = TextFormField(
        label=_("Reason for withdrawing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The document leaves the lists and the checks; it is kept in the audit trail."),
    )
