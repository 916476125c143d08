"""The form renderer (settings.FORM_RENDERER): Django's, with the widget templates of a select and
of a list of check boxes or radio buttons written without an include per option. Django's include
two to four templates for every option (select_option, input_option, input, attrs): a select of the
60 departments cost ~170 includes and most of a tab's time. The HTML is the same, byte for byte
(tests/web/test_form_renderer.py); an option widget with a template of its own is still included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

TEMPLATES = Path(__file__).resolve().parent / "form_templates"


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                # ours first: they replace django/forms/widgets/select.html and multiple_input.html
                "DIRS": [TEMPLATES, Path(django.forms.__file__).resolve().parent / "templates"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
