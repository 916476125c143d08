"""The administrators' forms: they shape and label input only; accounts/admin_services.py decides,
and its refusals are put back on the form (web.errors.attach) with what was typed kept."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.accounts import policy
from egovpm.accounts.choices import ADMIN_ROLES, DepartmentKind, Role
from egovpm.accounts.models import Department
from egovpm.core.validators import TextFormField


class DepartmentForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Short identifier, never changed later."))
    name = TextFormField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DepartmentKind.choices)
    division_code = forms.RegexField(
        label=_("Division code"), regex=r"^\d{6}$", initial="000000", help_text=_("GB/T 2260, 6 digits")
    )
    number = forms.RegexField(label=_("Department number"), regex=r"^\d{2}$", initial="00", help_text=_("2 digits"))


class DepartmentEditForm(DepartmentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


def _department_choices() -> list[tuple[str, str]]:
    return [(d.code, f"{d.name} ({d.code})") for d in Department.objects.order_by("code")]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), regex=r"^[\w.@+-]{1,150}$", max_length=150, help_text=_("Letters, digits and . @ + - _")
    )
    full_name = TextFormField(label=_("Full name"), max_length=100)
    department = forms.ChoiceField(label=_("Department"))
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False, max_length=128)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = _department_choices()


class UserEditForm(forms.Form):
    full_name = TextFormField(label=_("Full name"), max_length=100)
    department = forms.ChoiceField(label=_("Department"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = _department_choices()


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False, max_length=128)


class PasswordChangeForm(forms.Form):
    """The user's own new password (accounts.services.password_change checks the rest)."""

    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput, strip=False, max_length=128)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False, max_length=128)
    new_password_again = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput, strip=False, max_length=128
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password_again") not in (None, data["new_password"]):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        # the administrator roles are the operator's (egovpm user set on the server), never granted here
        choices=[(value, label) for value, label in Role.choices if value not in ADMIN_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Administrator roles are given only by the operator on the server (三员分立). No role: the account "
            "can do nothing."
        ),
    )


class PolicyForm(forms.Form):
    """One field per value of the policy, bounded as accounts/policy.py says."""

    LABELS = {
        "password_min_length": _("Password minimum length"),
        "password_classes": _("Character classes required (of lower case, upper case, digits, symbols)"),
        "lockout_failures": _("Failed logins before lockout"),
        "lockout_minutes": _("Lockout window and duration (minutes)"),
        "session_idle_minutes": _("Session idle timeout (minutes)"),
        "token_lifetime_days": _("API token lifetime (days)"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, ((low, high), _setting, _default) in policy.FIELDS.items():
            self.fields[name] = forms.IntegerField(
                label=self.LABELS[name],
                min_value=low,
                max_value=high,
                help_text=_("from %(low)s to %(high)s") % {"low": low, "high": high},
            )
