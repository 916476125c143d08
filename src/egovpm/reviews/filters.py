"""The expert-review list's one FilterSet (django-filter): the API list (reviews/api.py) and the
专家评议 page (reviews/views.py) validate `status` with it, and the selector
(selectors.review_list) applies its `.qs` inside the user's scope."""

from __future__ import annotations

import django_filters

from egovpm.reviews.choices import ReviewStatus
from egovpm.reviews.models import ExpertReview


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, help_text="the review's status")

    class Meta:
        model = ExpertReview
        fields: list[str] = []  # the declared filters above, nothing generated
