"""Forms of the message centre: e-mail choices per kind, and NDRC's chase."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.notifications.choices import CHASE_DEPARTMENT, Kind
from egovpm.notifications.services import CHASE_TEXT_LIMIT
from egovpm.web.people import people_of


class PreferencesForm(forms.Form):
    """One checkbox per kind: e-mail me about it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)


class ChaseForm(forms.Form):
    to = forms.ChoiceField(label=_("To"))
    text = forms.CharField(
        label=_("What is waiting"), max_length=CHASE_TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(CHASE_DEPARTMENT, str(_("The lead department (its staff and leaders)")))]
        # by name, department and role — never the login name (one query for the roles)
        choices += [(p.username, f"{p.choice} · {p.detail}" if p.detail else p.choice) for p in people_of(people or [])]
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = choices
