"""The administrators' lists' FilterSets (django-filter, ADR 0018): accounts (the system
administrator's 用户 page and the security administrator's 角色 page) by search, department, role
and status; departments by search and kind. A refused value is a 400 naming the field
(core.lists.filtered), never silently ignored."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.choices import DepartmentKind, Role
from egovpm.accounts.models import Department, User


def department_choices() -> list[tuple[str, str]]:
    return [(d.code, f"{d.name} ({d.code})") for d in Department.objects.order_by("code")]


def role_choices() -> list[tuple[str, Any]]:
    return [("none", _("No role")), *Role.choices]


STATUS_CHOICES = (("active", _("active")), ("disabled", _("disabled")))


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("Search"))
    department = django_filters.ChoiceFilter(
        choices=department_choices, field_name="department__code", label=_("Department"), empty_label=_("All")
    )
    role = django_filters.ChoiceFilter(
        choices=role_choices, method="filter_role", label=_("Role"), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=_("All")
    )

    class Meta:
        model = User
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_q(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        text = str(value).strip()
        return queryset.filter(Q(username__icontains=text) | Q(display_name__icontains=text))

    def filter_role(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        if value == "none":
            return queryset.filter(roles__isnull=True)
        return queryset.filter(roles__role=value)  # one row per (user, role): no duplicates

    def filter_status(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        return queryset.filter(is_active=value == "active")


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices, label=_("Kind"), empty_label=_("All"))

    class Meta:
        model = Department
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Department], name: str, value: Any) -> QuerySet[Department]:
        text = str(value).strip()
        return queryset.filter(Q(code__icontains=text) | Q(name__icontains=text))
