"""The report obligations' one FilterSet (django-filter, issue 10 item 5): `GET /reports/portfolio`
(reports/api.py) and the 建设情况报告 page (reports/views.py, its drill-down, the department's own
list and both exports) validate their filters with it, and the selectors apply its `.qs` to the
stored obligations (reports.selectors._drill_rows, department_obligations).

Every filter is a stored, indexed column of ReportObligation (ADR 0015): narrowing adds no query
per row. `validated(params)` is the one validation: a refused value is the API's 400 naming the
field (an unknown period keeps its own code, `invalid_period`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import FieldError, InvalidInput
from egovpm.projects.errors import ProjectError
from egovpm.reports.choices import ReportStatus
from egovpm.reports.models import ReportObligation


class PeriodField(forms.CharField):
    """A report period code (`2025-H1`, `2025`) the pack knows; anything else is refused."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value:
            from egovpm.reports import selectors

            try:
                selectors.period_parse(value)
            except InvalidInput:
                raise forms.ValidationError(_("Not a report period (2025-H1 or 2025)."), code="period_format") from None
        return value


class PeriodFilter(django_filters.CharFilter):
    field_class = PeriodField


class ReportObligationFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(
        field_name="department_code", max_length=64, label=_("Lead department code"), help_text="lead department code"
    )
    period = PeriodFilter(field_name="period", max_length=7, label=_("Period"), help_text="period code")
    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices, label=_("Status"), help_text="the obligation's status"
    )

    class Meta:
        model = ReportObligation
        fields: list[str] = []  # the declared filters above, nothing generated


def validated(params: Mapping[str, Any]) -> dict[str, str]:
    """The filters of `params` (department, period, status) cleaned, "" where not given; a refused
    value raises InvalidInput naming the field (the period: `invalid_period`, as before)."""
    filters = ReportObligationFilter(params, queryset=ReportObligation.objects.none())
    if not filters.is_valid():
        errors = filters.errors
        if "period" in errors:
            from egovpm.reports import selectors

            selectors.period_parse(str(params.get("period", "")))  # raises the period's own error
        problems = {k: {"problem": "; ".join(map(str, v))} for k, v in errors.items()}
        raise InvalidInput(
            ProjectError.INVALID_FILTER,
            fields={k: FieldError(ProjectError.FILTER_VALUE, p) for k, p in problems.items()},
        )
    return {k: str(filters.form.cleaned_data.get(k) or "") for k in filters.filters}
