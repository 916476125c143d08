"""The adjustment requests' one FilterSet (django-filter): the API list of a project's adjustments
(budgets/api.py) and the 概算调整 queue page (budgets/views.py) validate their query with it, and
the selectors (adjustment_list, ndrc_queue) apply its `.qs` inside the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from egovpm.budgets.choices import AdjustmentStatus, Route
from egovpm.budgets.models import Adjustment


class AdjustmentFilter(django_filters.FilterSet):
    route = django_filters.ChoiceFilter(choices=Route.choices, help_text="self_approval or ndrc_approval")
    status = django_filters.ChoiceFilter(choices=AdjustmentStatus.choices, help_text="the request's status")
    department = django_filters.CharFilter(method="filter_department", help_text="lead department code")

    class Meta:
        model = Adjustment
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_department(self, queryset: QuerySet[Adjustment], name: str, value: Any) -> QuerySet[Adjustment]:
        return queryset.filter(project__lead_department__code=value)


def apply(queryset: QuerySet[Adjustment], params: dict[str, Any] | None) -> QuerySet[Adjustment]:
    """`queryset` filtered by `params` (already validated by the caller; an invalid value selects
    nothing)."""
    if not params:
        return queryset
    filters = AdjustmentFilter(params, queryset=queryset)
    return filters.qs if filters.is_valid() else queryset.none()
