"""The documents tab's upload form."""

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
