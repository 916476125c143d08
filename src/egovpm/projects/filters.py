"""The project list's one FilterSet (django-filter): the API list (projects/api.py) validates its
query parameters with it, the UI list (projects/views.py) too, and the selector
(selectors.project_list) applies its `.qs` inside the user's scope — one definition of what
`stage`, `department`, `q`, `health` and `rule` mean, wherever the list is asked for."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from egovpm.accounts.models import Department
from egovpm.projects.choices import Stage
from egovpm.projects.models import Participation, Project
from egovpm.rules import engine


class StageInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`stage=construction` or `stage=construction,trial_operation`."""


HEALTH_CHOICES = (("red", "red"), ("amber", "amber"), ("green", "green"))


@functools.cache
def rule_choices() -> tuple[tuple[str, str], ...]:
    """Every rule id of the packs (rules/packs/*.yaml): `rule=` names one of them or is a 400.
    Read once per process, as the packs are (engine.load_pack)."""
    ids = {r.id for path in sorted(engine.PACK_DIR.glob("*.yaml")) for r in engine.load_pack(path.stem).rules}
    return tuple((i, i) for i in sorted(ids))


# The drill-down filters (health, rule) read the stored verdicts of egovpm.compliance through the
# relations `verdict` and `rule_failures`. Those must be fresh before they filter anything, but
# projects may not import compliance (tests/core/test_import_graph.py): compliance registers its
# `selectors.ensure_fresh` here from its AppConfig.ready(), and selectors.project_list_rows calls
# the registered functions with the user's scoped projects before it applies `health` or `rule`.
VerdictFreshener = Callable[[QuerySet[Project]], Any]
_verdict_fresheners: list[VerdictFreshener] = []


def register_verdict_freshener(fn: VerdictFreshener) -> None:
    if fn not in _verdict_fresheners:
        _verdict_fresheners.append(fn)


def freshen_verdicts(scoped: QuerySet[Project]) -> None:
    for fn in _verdict_fresheners:
        fn(scoped)


VERDICT_FILTERS = ("health", "rule")


class ProjectFilter(django_filters.FilterSet):
    stage = StageInFilter(choices=Stage.choices, help_text="stage code, or several separated by commas")
    department = django_filters.CharFilter(
        method="filter_department", help_text="lead or participating department code"
    )
    q = django_filters.CharFilter(method="filter_q", help_text="search in name and code")
    health = django_filters.ChoiceFilter(
        choices=HEALTH_CHOICES, field_name="verdict__health", help_text="stored compliance health: red, amber or green"
    )
    rule = django_filters.ChoiceFilter(
        choices=rule_choices, method="filter_rule", help_text="a rule id of the packs (e.g. C4.1): projects failing it"
    )

    class Meta:
        model = Project
        fields: list[str] = []  # the declared filters above, nothing generated

    def get_form_class(self) -> Any:
        # django-filter builds a new Form class per FilterSet; the list builds two or three per
        # request. The class is the same every time (its fields are copied per form instance).
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_department(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(functools.reduce(operator.or_, department_parts(value)))

    def filter_rule(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        # a subquery, not a join: a project is listed once whatever it failed
        return queryset.filter(pk__in=Project.objects.filter(rule_failures__rule=value).values("pk"))

    def filter_q(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        text = str(value).strip()
        return queryset.filter(Q(name__icontains=text) | Q(code__icontains=text))


def department_parts(code: str) -> list[Q]:
    """`department=code` as two disjoint conditions (led by it; participated in and not led by
    it), each answered by an index; selectors.project_list_count counts them apart."""
    department = Department.objects.filter(code=code).values("pk")
    led = Q(lead_department_id__in=department)
    participated = Q(pk__in=Participation.objects.filter(department__code=code).values("project_id"))
    return [led, participated & ~led]


# The name the API has used since the first release.
ProjectListParams = ProjectFilter
