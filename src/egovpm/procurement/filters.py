"""The 采购 register's FilterSet (django-filter, ADR 0018): a project's procurements narrowed by
category; the tab applies `.qs` to selectors.procurement_list (one project, already in the user's
scope), its XLSX export too. A refused category is a 400 naming the field (core.lists.filtered)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from egovpm.procurement.choices import Category
from egovpm.procurement.models import Procurement


class ProcurementFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"), empty_label=_("All"))

    class Meta:
        model = Procurement
        fields: list[str] = []  # the declared filter above, nothing generated
