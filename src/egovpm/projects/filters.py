"""The project list's one FilterSet (django-filter): the API list (projects/api.py) validates its
query parameters with it, the UI list (projects/views.py) too, and the selector
(selectors.project_list) applies its `.qs` inside the user's scope — one definition of what
`stage`, `department`, `q`, `health`, `rule`, `year` and the other drill-down filters mean,
wherever the list is asked for (the cockpit's figures link here with the same parameters:
portfolio/selectors.py, docs/portfolio.md "Drill-down"). With `as_of` (a past date) the filters
that depend on the date select the projects as they stood at the end of that day (PAST_FILTERS,
`select_as_of`)."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Mapping
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import Department
from egovpm.core import clock
from egovpm.core.errors import FieldError, InvalidInput
from egovpm.projects.choices import Stage
from egovpm.projects.errors import ProjectError
from egovpm.projects.models import Participation, Project
from egovpm.rules import engine


class StageInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`stage=construction` or `stage=construction,trial_operation`."""


class YearFilter(django_filters.Filter):
    """`year=2025`: an integer within the field's bounds, else a 400."""

    field_class = forms.IntegerField


HEALTH_CHOICES = (("red", "red"), ("amber", "amber"), ("green", "green"))
YEARS = (1990, 2099)


def year_q(year: int) -> Q:
    """The projects of `year`: the year of their code (YYYY-…, domain.md §9: the year the code was
    issued, by this system at creation or by the national platform) — the unique index on `code`
    answers the prefix. docs/portfolio.md explains the choice."""
    return Q(code__startswith=f"{year:04d}-")


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


# `report` reads the stored report obligations (ADR 0015), rebuilt with the verdicts: fresh first too
VERDICT_FILTERS = ("health", "rule", "report")

# The filters whose answer depends on the date: with a past `as_of` they are not applied to today's
# rows but by the registered past selector (portfolio registers selectors.select_as_of from its
# AppConfig.ready(): the same per-project facts its summary counts on that date). The others
# (department, lead_department, q, year) do not change with the date and are applied as today.
PAST_FILTERS = ("stage", "health", "rule", "delivery_mode", "report", "adjustment", "post_evaluation", "rectification")
PastSelector = Callable[[QuerySet[Project], dt.date, Mapping[str, str]], QuerySet[Project]]
_past_selectors: list[PastSelector] = []


def register_past_selector(fn: PastSelector) -> None:
    if fn not in _past_selectors:
        _past_selectors.append(fn)


def select_as_of(scoped: QuerySet[Project], day: dt.date, params: Mapping[str, str]) -> QuerySet[Project]:
    """The projects of `scoped` that existed at the end of `day` and matched the PAST_FILTERS in
    `params` then (a 400 `portfolio_past_as_of_too_wide` beyond the portfolio's bound)."""
    if not _past_selectors:
        raise RuntimeError("no past selector registered (egovpm.portfolio is not installed)")
    for fn in _past_selectors:
        scoped = fn(scoped, day, params)
    return scoped


# Drill-down filters on the records of an app above projects, which projects may not import: the
# app (or the portfolio for it) registers `fn(value, day) -> the ids of the matching projects` (a
# subquery) from its AppConfig.ready(); the list applies it on today's date, select_as_of on a past one.
DatedFilter = Callable[[str, dt.date], QuerySet[Any]]
_dated_filters: dict[str, DatedFilter] = {}


def register_dated_filter(name: str, fn: DatedFilter) -> None:
    _dated_filters[name] = fn


def dated_ids(name: str, value: str, day: dt.date) -> QuerySet[Any]:
    """The ids of the projects the registered filter `name` selects on `day` (none when no app
    records it)."""
    fn = _dated_filters.get(name)
    return fn(value, day) if fn is not None else Project.objects.none().values("pk")


RECTIFICATION_CHOICES = (("open", "open"), ("overdue", "overdue"))
REPORT_CHOICES = (("due", "due"), ("overdue", "overdue"), ("late", "late"))
# the report buckets of the stored obligations (reports.ReportObligation.bucket) behind each value
REPORT_BUCKETS = {"due": "pending", "overdue": "overdue", "late": "late"}


def _field_values(app_label: str, model: str, field: str) -> list[str]:
    """The choices of another app's model field, read from the app registry (projects may not
    import the apps above it: tests/core/test_import_graph.py)."""
    return [str(v) for v, _label in apps.get_model(app_label, model)._meta.get_field(field).choices or ()]


@functools.cache
def adjustment_choices() -> tuple[tuple[str, str], ...]:
    """`route:state` for every route and state of a budget adjustment (budgets.Adjustment)."""
    routes = _field_values("budgets", "Adjustment", "route")
    states = _field_values("budgets", "Adjustment", "status")
    return tuple((f"{r}:{s}", f"{r}:{s}") for r in routes for s in states)


@functools.cache
def conclusion_choices() -> tuple[tuple[str, str], ...]:
    return tuple((c, c) for c in _field_values("evaluations", "PostEvaluation", "conclusion"))


class AsOfFilter(django_filters.DateFilter):
    """`as_of=YYYY-MM-DD`: validated here (a bad date is a 400 naming `as_of`); applied by
    selectors.project_list_rows through select_as_of, not as a condition on a field."""

    def filter(self, qs: Any, value: Any) -> Any:
        return qs


DELIVERY_MODE_CHOICES = (
    ("service_outsourcing", _("Service outsourcing")),
    ("data_hosting", _("Data hosting")),
)


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
    year = YearFilter(
        method="filter_year", min_value=YEARS[0], max_value=YEARS[1], help_text="the year of the project code"
    )
    # the cockpit's delivery-mode counts drill down here; the flags follow the recorded modes
    # (procurement's PUT delivery-modes keeps them in step, docs/procurement.md)
    delivery_mode = django_filters.ChoiceFilter(
        choices=DELIVERY_MODE_CHOICES,
        method="filter_delivery_mode",
        help_text="service_outsourcing or data_hosting: projects that record that delivery mode",
    )
    lead_department = django_filters.CharFilter(
        field_name="lead_department__code", help_text="lead department code (the cockpit's by-department figures)"
    )
    report = django_filters.ChoiceFilter(
        choices=REPORT_CHOICES,
        method="filter_report",
        help_text="due, overdue or late: projects with at least one report obligation in that state",
    )
    adjustment = django_filters.ChoiceFilter(
        choices=adjustment_choices,
        method="filter_adjustment",
        help_text="route:state (e.g. ndrc_approval:pending): projects with at least one budget adjustment so",
    )
    post_evaluation = django_filters.ChoiceFilter(
        choices=conclusion_choices,
        method="filter_post_evaluation",
        help_text="a post-evaluation conclusion: projects with at least one post-evaluation concluding so",
    )
    rectification = django_filters.ChoiceFilter(
        choices=RECTIFICATION_CHOICES,
        method="filter_rectification",
        help_text="open or overdue: projects with at least one rectification item so (inspections)",
    )
    as_of = AsOfFilter(help_text="YYYY-MM-DD: the date-dependent filters as the projects stood at the end of it")

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

    def filter_year(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(year_q(int(value)))

    def filter_delivery_mode(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(**{str(value): True})

    def filter_report(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        bucket = REPORT_BUCKETS[str(value)]
        return queryset.filter(pk__in=Project.objects.filter(report_obligations__bucket=bucket).values("pk"))

    def filter_adjustment(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        route, state = str(value).split(":")
        having = Project.objects.filter(adjustments__route=route, adjustments__status=state)
        return queryset.filter(pk__in=having.values("pk"))

    def filter_post_evaluation(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        having = Project.objects.filter(
            post_evaluations__conclusion=value, post_evaluations__evaluated_on__lte=clock.today()
        )
        return queryset.filter(pk__in=having.values("pk"))

    def filter_rectification(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(pk__in=dated_ids("rectification", str(value), clock.today()))

    def filter_q(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        text = str(value).strip()
        return queryset.filter(Q(name__icontains=text) | Q(code__icontains=text))


def department_conditions(code: str) -> list[Q]:
    """`department=code` as its two conditions (led by it; participated in by it), which may
    overlap, each answered by an index: selectors.project_list_count counts their UNION."""
    department = Department.objects.filter(code=code).values("pk")
    led = Q(lead_department_id__in=department)
    participated = Q(pk__in=Participation.objects.filter(department__code=code).values("project_id"))
    return [led, participated]


def department_parts(code: str) -> list[Q]:
    """`department=code` as two disjoint conditions (led by it; participated in and not led by
    it), each answered by an index."""
    led, participated = department_conditions(code)
    return [led, participated & ~led]


LIST_PARAMS = (
    "stage",
    "department",
    "q",
    "health",
    "rule",
    "year",
    "delivery_mode",
    "lead_department",
    "report",
    "adjustment",
    "post_evaluation",
    "rectification",
    "as_of",
)


def list_params(query: Any) -> dict[str, str]:
    """The list's query parameters (a QueryDict or a mapping) validated by the FilterSet, as the
    strings selectors.project_list_rows takes; a refused value is a 400 naming it (the API list,
    its XLSX export and the page's export share this). No parameter: no FilterSet is built."""
    if not any(query.get(name) for name in LIST_PARAMS):
        return dict.fromkeys(LIST_PARAMS, "")
    filters = ProjectFilter(query, queryset=Project.objects.none())
    if not filters.is_valid():
        problems = {k: {"problem": "; ".join(map(str, v))} for k, v in filters.errors.items()}
        raise InvalidInput(
            ProjectError.INVALID_FILTER,
            fields={k: FieldError(ProjectError.FILTER_VALUE, p) for k, p in problems.items()},
        )
    data = filters.form.cleaned_data
    year = data.get("year")
    as_of = data.get("as_of")
    return {
        "stage": ",".join(data.get("stage") or []),
        "department": data.get("department") or "",
        "q": (data.get("q") or "").strip(),
        "health": data.get("health") or "",
        "rule": data.get("rule") or "",
        "year": str(year) if year is not None else "",
        "delivery_mode": data.get("delivery_mode") or "",
        "lead_department": (data.get("lead_department") or "").strip(),
        "report": data.get("report") or "",
        "adjustment": data.get("adjustment") or "",
        "post_evaluation": data.get("post_evaluation") or "",
        "rectification": data.get("rectification") or "",
        # today's date is today's list (the stored rows); another date goes through select_as_of
        "as_of": as_of.isoformat() if as_of is not None and as_of != clock.today() else "",
    }


# The name the API has used since the first release.
ProjectListParams = ProjectFilter
