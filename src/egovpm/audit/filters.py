"""The audit log's one FilterSet (django-filter): the audit page (audit/views.py) validates its
query with it, and the selector (selectors.audit_events) applies its `.qs` for the page, its CSV
export and the API list (audit/api.py) alike. Dates are Beijing calendar days, by the strict date
rule of core.validators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egovpm.audit.models import AuditEvent
from egovpm.core.clock import BEIJING
from egovpm.core.validators import StrictDateFormField

# ISO in every language: a date input drops a localised value such as 2026/11/20
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StrictDateFilter(django_filters.Filter):
    field_class = StrictDateFormField


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username", label=_("Actor (username)"))
    action = django_filters.CharFilter(field_name="action", lookup_expr="startswith", label=_("Action (prefix)"))
    object_type = django_filters.CharFilter(field_name="object_type", label=_("Object"))
    project_id = django_filters.CharFilter(field_name="project_id", label=_("Project"))
    date_from = StrictDateFilter(method="filter_from", label=_("From"), widget=DATE_INPUT)
    date_to = StrictDateFilter(method="filter_to", label=_("To"), widget=DATE_INPUT)

    class Meta:
        model = AuditEvent
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_from(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> QuerySet[AuditEvent]:
        return queryset.filter(at__gte=_start_of(value))

    def filter_to(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> QuerySet[AuditEvent]:
        return queryset.filter(at__lt=_start_of(value + dt.timedelta(days=1)))
