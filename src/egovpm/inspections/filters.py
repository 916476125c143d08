"""The 监督检查 page's FilterSet (django-filter): the inspections the user sees narrowed by kind,
state, the year they started and a search in the reference and the project's name or code; the
page applies `.qs` to selectors.visible_inspections (the user's scope), its export too."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from egovpm.inspections.choices import InspectionKind, InspectionState
from egovpm.inspections.models import Inspection


class InspectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=InspectionState.choices, label=_("State"))
    year = django_filters.NumberFilter(
        field_name="started_on",
        lookup_expr="year",
        label=_("Year started"),
        widget=forms.NumberInput(attrs={"size": 5}),
        min_value=1990,
        max_value=2099,
    )
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("Search"))

    class Meta:
        model = Inspection
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_q(self, queryset: QuerySet[Inspection], name: str, value: Any) -> QuerySet[Inspection]:
        text = str(value).strip()
        return queryset.filter(
            Q(reference__icontains=text) | Q(project__name__icontains=text) | Q(project__code__icontains=text)
        )
