"""The password rules of the security policy (accounts/policy.py): the minimum length and how many
character classes a password mixes. settings.AUTH_PASSWORD_VALIDATORS names them, so every password
set through Django's validate_password (the CLI, the API, the browser) obeys what sec_admin chose."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egovpm.accounts import policy


class PolicyMinimumLengthValidator:
    """At least the policy's password_min_length characters (10 unless sec_admin sets another)."""

    def validate(self, password: str, user: object = None) -> None:
        length = policy.password_min_length()
        if len(password) < length:
            raise ValidationError(
                ngettext(
                    "The password must be at least %(n)d character long.",
                    "The password must be at least %(n)d characters long.",
                    length,
                )
                % {"n": length},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        length = policy.password_min_length()
        return ngettext("At least %(n)d character.", "At least %(n)d characters.", length) % {"n": length}


class CharacterClassValidator:
    """Password policy: at least the policy's password_classes (3 by default) of lower case, upper
    case, digits and symbols (GB/T 22239 asks for complexity on systems of level 2 and above)."""

    def validate(self, password: str, user: object = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        needed = policy.password_classes()
        if sum(classes) < needed:
            if needed >= 4:
                message = _("The password must mix lower case, upper case, digits and symbols.")
            else:
                message = _("The password must mix at least three of: lower case, upper case, digits, symbols.")
            raise ValidationError(message, code="password_too_simple")

    def get_help_text(self) -> str:
        if policy.password_classes() >= 4:
            return _("Mix lower case, upper case, digits and symbols.")
        return _("Mix at least three of: lower case, upper case, digits, symbols.")
