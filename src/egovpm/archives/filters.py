"""The 档案 page's FilterSet (django-filter): the projects on the archive list narrowed by stage,
lead department and a name/code search; the selector applies `.qs` inside the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from egovpm.projects.choices import Stage
from egovpm.projects.models import Project


class ArchiveProjectFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"), help_text="the project's stage")
    department = django_filters.CharFilter(
        method="filter_department", label=_("Lead department code"), help_text="lead department code"
    )
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label=_("Search"), help_text="part of the name or code"
    )

    class Meta:
        model = Project
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_department(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(lead_department__code=value)

    def filter_q(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
