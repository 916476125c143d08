"""The FilterSets of the message centre (消息) and of 已办 (django-filter, issue 15 item 5): the pages
(notifications/views.py) validate their query with them (a refused value is a 400 naming the
field) and apply their `.qs` to the user's own rows (selectors.messages_of, selectors.done_of), so
a filter only ever narrows what the user may read. Dates are Beijing calendar days, by the strict
date rule of core.validators (as the audit log's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egovpm.audit.actions import AuditAction
from egovpm.audit.filters import DATE_INPUT, StrictDateFilter
from egovpm.audit.models import AuditEvent
from egovpm.core.clock import BEIJING
from egovpm.notifications.choices import Kind
from egovpm.notifications.models import Message

UNREAD, READ = "unread", "read"


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


class _DaysFilter(django_filters.FilterSet):
    """From / to (Beijing days, both inclusive) on the model's `DATE_FIELD`."""

    DATE_FIELD = ""
    date_from = StrictDateFilter(method="filter_from", label=pgettext_lazy("date filter", "From"), widget=DATE_INPUT)
    date_to = StrictDateFilter(method="filter_to", label=pgettext_lazy("date filter", "To"), widget=DATE_INPUT)

    def filter_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.DATE_FIELD}__gte": _start_of(value)})

    def filter_to(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.DATE_FIELD}__lt": _start_of(value + dt.timedelta(days=1))})


class MessageFilter(_DaysFilter):
    DATE_FIELD = "created_at"
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    read = django_filters.ChoiceFilter(
        choices=[(UNREAD, _("Unread")), (READ, _("Read"))], method="filter_read", label=_("Read or not")
    )

    class Meta:
        model = Message
        fields: list[str] = []  # the declared filters above, nothing generated

    def filter_read(self, queryset: QuerySet[Message], name: str, value: Any) -> QuerySet[Message]:
        return queryset.filter(read_at__isnull=value == UNREAD)


class DoneFilter(_DaysFilter):
    DATE_FIELD = "at"
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))

    class Meta:
        model = AuditEvent
        fields: list[str] = []  # the declared filters above, nothing generated
