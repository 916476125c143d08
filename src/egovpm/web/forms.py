"""Web forms: they only shape and label input. Every decision stays in the services, whose
DomainErrors are attached back to these forms (`attach_error`) so that what was typed is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from egovpm.accounts import lockout, policy
from egovpm.accounts.backends import LockedOut
from egovpm.core.validators import DATE_MESSAGE, StrictDateFormField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
        "locked": _(
            "Too many failed login attempts: this account is locked for %(minutes)s minutes. "
            "Try again later or ask the security administrator."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    def clean(self) -> dict[str, Any]:
        # django.contrib.auth.authenticate() swallows the backend's LockedOut (a PermissionDenied)
        # and answers None, so a refused login also asks the lockout whether it was the reason.
        try:
            return super().clean()
        except LockedOut:
            raise self._locked()
        except forms.ValidationError as e:
            username = self.cleaned_data.get("username")
            if e.code == "invalid_login" and username and lockout.locked_until(username) is not None:
                raise self._locked()
            raise

    def _locked(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"minutes": policy.lockout_window() // dt.timedelta(minutes=1)},
        )


class AsOfForm(forms.Form):
    as_of = StrictDateFormField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def value(self, default: dt.date) -> dt.date:
        if self.is_bound and not self.is_valid():
            raise BadRequest(DATE_MESSAGE)  # the 400 page, never a silent "today" (nor a 500)
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default
