"""Forms of the reviews pages. They only collect input; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.core.validators import StrictDateFormField, TextFormField
from egovpm.reviews.choices import Recommendation
from egovpm.reviews.models import Specialty
from egovpm.web.people import PeopleMultipleField, PersonField


def _specialty_choices() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in Specialty.objects.filter(active=True).order_by("code")]


class PanelForm(forms.Form):
    MODES = (("draw", _("Random draw from the pool")), ("named", _("Name the experts")))
    mode = forms.ChoiceField(label=_("How to form the panel"), choices=MODES, widget=forms.RadioSelect, initial="draw")
    size = forms.IntegerField(label=_("Panel size"), min_value=1, max_value=50, required=False)
    specialties = forms.MultipleChoiceField(
        label=_("Specialties (any of)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    experts = PeopleMultipleField(source="expert_pool", label=_("Experts"), required=False)
    due_on = StrictDateFormField(
        label=_("Opinions due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, min_size: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["size"].initial = min_size
        cast(forms.ChoiceField, self.fields["specialties"]).choices = _specialty_choices()
        cast(PeopleMultipleField, self.fields["experts"]).load()  # the active pool, by name


class OpinionForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    text = TextFormField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Recommendation.choices, widget=forms.RadioSelect)
    text = TextFormField(label=_("Conclusion text"), widget=forms.Textarea(attrs={"rows": 5}))


class CoAuthorsForm(forms.Form):
    co_authors = forms.MultipleChoiceField(
        label=_("Co-authoring departments"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, departments: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["co_authors"]).choices = [(d.code, d.name) for d in departments]


class ExpertProfileForm(forms.Form):
    # typed by name with the search picker (web/people.py), never a list of login names
    user = PersonField(role="expert", datalist_id="expert-options", label=_("Expert (user with the expert role)"))
    title = TextFormField(label=_("Professional title"), required=False, max_length=100)
    specialties = forms.MultipleChoiceField(label=_("Specialties"), widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("Active in the pool"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["specialties"]).choices = _specialty_choices()


class SpecialtyForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = TextFormField(label=_("Name (Chinese)"), max_length=100)
    name_en = TextFormField(label=_("Name (English)"), max_length=100, required=False)
