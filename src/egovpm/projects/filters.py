"""The project list's one FilterSet (django-filter): the API list (projects/api.py) validates its
query parameters with it, the UI list (projects/views.py) too, and the selector
(selectors.project_list) applies its `.qs` inside the user's scope — one definition of what
`stage`, `department` and `q` mean, wherever the list is asked for."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from egovpm.projects.choices import Stage
from egovpm.projects.models import Participation, Project


class StageInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`stage=construction` or `stage=construction,trial_operation`."""


class ProjectFilter(django_filters.FilterSet):
    stage = StageInFilter(choices=Stage.choices, help_text="stage code, or several separated by commas")
    department = django_filters.CharFilter(
        method="filter_department", help_text="lead or participating department code"
    )
    q = django_filters.CharFilter(method="filter_q", help_text="search in name and code")

    class Meta:
        model = Project
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_department(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(
            Q(lead_department__code=value)
            | Q(pk__in=Participation.objects.filter(department__code=value).values("project_id"))
        )

    def filter_q(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        text = str(value).strip()
        return queryset.filter(Q(name__icontains=text) | Q(code__icontains=text))


# The name the API has used since the first release.
ProjectListParams = ProjectFilter
