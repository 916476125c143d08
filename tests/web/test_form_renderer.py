"""web.renderers.FormRenderer writes a select's and a list of check boxes' or radio buttons' options
without an include per option: the HTML must be Django's, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from egovpm.web.renderers import FormRenderer

CHOICES: list[Any] = [
    ("", "---------"),
    ("moa", '甲部委 <&> "quoted"'),
    (3, "three"),
    ("Group", [("g1", "one"), ("g2", "two")]),
]


class CustomOption(forms.Select):
    option_template_name = "django/forms/widgets/input.html"  # an option template of its own: included


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=forms.SelectMultiple(attrs={"size": 5}))
    boxes = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple)
    boxes_plain = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "x"})
    )
    radio = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect(attrs={"disabled": True}))
    maybe = forms.NullBooleanField(required=False)
    custom = forms.ChoiceField(choices=CHOICES, required=False, widget=CustomOption)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"one": "moa", "many": ["3", "g2"], "boxes": ["moa", "g1"], "radio": "3", "maybe": "true", "custom": "g1"},
        {"one": "nope", "many": ["x"], "boxes": [""], "radio": "", "maybe": "unknown"},
    ],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_the_same_html_as_django(data: Any, auto_id: Any) -> None:
    ours = Sample(data, auto_id=auto_id, renderer=FormRenderer())
    django_s = Sample(data, auto_id=auto_id, renderer=DjangoTemplates())
    for name in Sample.base_fields:
        assert str(ours[name]) == str(django_s[name]), name
    assert str(ours) == str(django_s)


def test_it_is_the_renderer_of_every_form(settings: Any) -> None:
    assert settings.FORM_RENDERER == "egovpm.web.renderers.FormRenderer"
    for name in ("select.html", "multiple_input.html"):
        template = FormRenderer().get_template(f"django/forms/widgets/{name}")
        assert "form_templates" in template.origin.name  # ours, not django's
