"""Validation at the boundary, with the same strictness as amounts (core/money.py), shared by every
serializer and form (docs/validation.md):

- **Dates** are `YYYY-MM-DD` in ASCII digits, nothing looser (`２０２６-01-05`, `2026-1-5`,
  `20260105`, `2026-01-05T00:00`, a trailing newline are refused), between `MIN_DATE` and
  `MAX_DATE`: 1990-01-01 to 2099-12-31. No e-government project of the 2008 notice is older,
  and every date the application computes from one (a year later, a report's deadline) stays
  representable — `9999-12-31` cannot overflow anything downstream.
- **Text** never carries invisible or direction-changing characters: the bidirectional controls
  (U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B–U+200F, U+FEFF) and every other
  Unicode control (category Cc) or format character (Cf) is refused. Long text (descriptions,
  opinions, report sections) may hold line breaks and tabs (`\\n`, `\\r`, `\\t`); a short text
  (a name, a title, a code, a number) may not.

Each refusal is a 400 naming the field; nothing is stripped or normalised silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from egovpm.core.errors import CoreError, FieldError, InvalidInput, template

MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# the internal ValueError text of parse_date (users read DATE_ERROR, rendered in their language)
DATE_MESSAGE = f"a date as YYYY-MM-DD between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"

LONG_TEXT_ALLOWED = frozenset("\n\r\t")
# controls, format characters (bidi, zero-width, BOM …), surrogates, private use, the Unicode line
# and paragraph separators. Unassigned code points (Cn) are not refused: a newer CJK extension
# would be "unassigned" to an older Python.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
DATE_ERROR = FieldError(CoreError.INVALID_DATE)


def parse_date(value: object) -> dt.date:
    """A date of api.md: the string `YYYY-MM-DD` (ASCII digits) within the plausible range.
    Raises ValueError (with DATE_MESSAGE) for anything else."""
    if isinstance(value, dt.datetime):
        raise ValueError(DATE_MESSAGE)
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None
    else:
        raise ValueError(DATE_MESSAGE)
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(DATE_MESSAGE)
    return day


def date_field(value: Any, field: str, errors: dict[str, FieldError], *, required: bool = True) -> dt.date | None:
    """A service's date input (a `date` or a `parse_date` string): the date, or None with the
    field's error added to `errors` (REQUIRED when empty and required, else INVALID_DATE) — the
    services collect every field's error before one 400."""
    if value in (None, ""):
        if required:
            errors[field] = FieldError(CoreError.REQUIRED)
        return None
    try:
        return parse_date(value)
    except ValueError:
        errors[field] = DATE_ERROR
        return None


def parse_as_of(raw: str | None, field: str = "as_of") -> dt.date | None:
    """The `as_of` query parameter of every API endpoint: None when absent or empty, else a date
    of `parse_date`; anything else is a 400 naming the parameter."""
    if raw is None or raw == "":
        return None
    try:
        return parse_date(raw)
    except ValueError:
        raise InvalidInput(fields={field: DATE_ERROR}) from None


def text_error(value: str, *, multiline: bool = False) -> FieldError | None:
    """Why `value` is refused as text, as a field error (None when it is fine)."""
    if value.isprintable():  # the common case, in C: no control, format or separator at all
        return None
    for ch in value:
        if ch in LONG_TEXT_ALLOWED:
            if multiline:
                continue
            return FieldError(CoreError.LINE_BREAK)
        if unicodedata.category(ch) in REFUSED_CATEGORIES:
            return FieldError(CoreError.CONTROL_CHARACTER, {"char": f"U+{ord(ch):04X}"})
    return None


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` is refused as text, in words of the active language (None when it is fine)."""
    error = text_error(value, multiline=multiline)
    return error.render() if error is not None else None


@deconstructible
class TextValidator:
    """A Django validator (DRF runs these too): refuses what `text_problem` refuses."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and text_problem(value, multiline=self.multiline) is not None:
            if self.multiline:
                message = _("Invisible or control characters are not allowed.")
            else:
                message = _("Line breaks, tabs, invisible or control characters are not allowed.")
            raise ValidationError(message, code="control_character")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash(self.multiline)


single_line_text = TextValidator(multiline=False)
multi_line_text = TextValidator(multiline=True)


# ------------------------------------------------------------------ DRF fields


class ShortText(serializers.CharField):
    """A name, title, code or number: one line, no invisible characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(single_line_text)


class LongText(serializers.CharField):
    """A description, opinion or comment: line breaks and tabs allowed, no invisible characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(multi_line_text)


class StrictDate(serializers.DateField):
    """A date of api.md (`parse_date`): refused, never reinterpreted."""

    def to_internal_value(self, value: Any) -> dt.date:
        try:
            return parse_date(value)
        except ValueError:
            raise serializers.ValidationError(template(CoreError.INVALID_DATE), code=CoreError.INVALID_DATE) from None


# ------------------------------------------------------------------ form fields


class TextFormField(forms.CharField):
    """forms.CharField with the text rules: multi-line when its widget is a Textarea."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.append(multi_line_text if isinstance(self.widget, forms.Textarea) else single_line_text)


class StrictDateFormField(forms.DateField):
    """forms.DateField accepting only `YYYY-MM-DD` in the plausible range (`parse_date`)."""

    default_error_messages = {
        "invalid": template(CoreError.INVALID_DATE),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip(" ")
        try:
            return parse_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def strptime(self, value: str, format: str) -> dt.date:  # noqa: A002 - Django's signature
        return parse_date(value)
