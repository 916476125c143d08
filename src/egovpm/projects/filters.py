"""Query parameters of the project list (API and UI), validated with django-filter. The filtering
itself is selectors.project_list, applied inside the user's scope."""

from __future__ import annotations

import django_filters

from egovpm.projects.choices import Stage


class StageInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`stage=construction` or `stage=construction,trial_operation`."""


class ProjectListParams(django_filters.FilterSet):
    stage = StageInFilter(choices=Stage.choices, help_text="stage code, or several separated by commas")
    department = django_filters.CharFilter(help_text="lead or participating department code")
    q = django_filters.CharFilter(help_text="search in name and code")
