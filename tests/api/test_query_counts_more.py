"""The list endpoints not pinned elsewhere answer in a number of queries that does not grow with their
rows (issue 13 item 5), as in test_query_counts.py: SMALL rows, then LARGE rows, equal counts within
the pin. `test_every_list_endpoint_is_pinned` names, for every list endpoint of the API (the views
bench/scale_plan.py measures), the test file that pins it, so that a new list cannot go unpinned."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .test_query_counts import _measure

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).resolve().parents[1]

# url name (namespace api) -> the test file that pins its query count
PINNED_IN = {
    "projects": "api/test_query_counts.py",
    "project-events": "api/test_query_counts.py",
    "assignments": "api/test_query_counts.py",
    "documents": "api/test_query_counts.py",
    "audit": "api/test_query_counts.py",
    "procurements": "api/test_query_counts.py",
    "messages": "api/test_query_counts.py",
    "adjustments": "budgets/test_pages.py",
    "inspections": "inspections/test_queries.py",
    "rectifications": "inspections/test_queries.py",
    "systems": "archives/test_query_counts.py",
    "risk-assessments": "archives/test_query_counts.py",
    "archive-acceptances": "archives/test_query_counts.py",
    "report-portfolio": "reports/test_query_counts.py",
    "departments": "api/test_query_counts_more.py",
    "experts": "api/test_query_counts_more.py",
    "specialties": "api/test_query_counts_more.py",
    "expenditures": "api/test_query_counts_more.py",
    "evaluation-templates": "api/test_query_counts_more.py",
    "admin-departments": "api/test_query_counts_more.py",
    "admin-users": "api/test_query_counts_more.py",
}


def _list_endpoints() -> dict[str, str]:
    """url name -> path of every API list view (a …ListView, the reports portfolio, a project's reviews)."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                view = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
                name = view.__name__ if view is not None else ""
                if prefix.startswith("api/") and (
                    name.endswith("ListView") or name in {"PortfolioView", "ProjectReviewsView"}
                ):
                    found[str(p.name)] = prefix + str(p.pattern)

    walk(get_resolver(), "")
    return found


# Lists not pinned yet, each with the reason (issue 13 item 5 is open while this is not empty).
NOT_YET = {
    "estimate-baselines": "a baseline per NDRC approval: growing it needs the adjustment walk",
    "reports": "one submission per half-year period: growing it needs periods in the past",
    "expert-reviews": "a project's panels: growing it needs panels concluded one after another",
    "expert-review-list": "the panels of the portfolio: as above",
    "completion-acceptances": "one per project",
    "inspection-findings": "an inspection's findings",
    "post-evaluations": "one per project in operation",
}


def test_every_list_endpoint_is_pinned() -> None:
    endpoints = _list_endpoints()
    assert sorted(set(endpoints) - set(PINNED_IN) - set(NOT_YET)) == [], "list endpoints without a query pin"
    for name, where in PINNED_IN.items():
        text = (TESTS / where).read_text(encoding="utf-8")
        tail = re.sub(r"<[^>]+>", "", endpoints[name]).removeprefix("api/v1")
        assert f"api:{name}" in text or tail.split("/")[-1] in text, (name, where)
        assert "_measure(" in text or "CaptureQueriesContext" in text or "num_queries" in text, where


DEPARTMENTS_MAX = 4  # token with its user and roles (2), the page's count (1), the page (1)


def test_department_list(personas: dict[str, Any], api: Any) -> None:
    from egovpm.accounts.models import Department

    state = {"i": 0}

    def grow(n: int) -> None:
        for _ in range(n):
            state["i"] += 1
            Department.objects.create(code=f"grown{state['i']}", name=f"新增部门{state['i']}", kind="central")

    small, _ = _measure(api("ndrc"), reverse("api:departments"), grow, baseline_rows=0)
    assert small <= DEPARTMENTS_MAX


EXPERTS_MAX = 5  # token (2), count (1), the page (1), the page's specialties (1)


def test_expert_list(personas: dict[str, Any], api: Any) -> None:
    from egovpm.accounts.models import Department, User, UserRole
    from egovpm.reviews.services import expert_profile_set

    expert_profile_set(actor=personas["ndrc"], username="expert_assigned", specialties=["gov_apps"])
    moa = Department.objects.get(code="moa")
    state = {"i": 0}

    def grow(n: int) -> None:
        for _ in range(n):
            state["i"] += 1
            user = User.objects.create_user(username=f"expert.grown{state['i']}", department=moa)
            UserRole.objects.create(user=user, role="expert")
            expert_profile_set(
                actor=personas["ndrc"], username=user.username, specialties=["gov_apps", "data_resources"]
            )

    small, _ = _measure(api("ndrc"), reverse("api:experts"), grow)
    assert small <= EXPERTS_MAX


SPECIALTIES_MAX = 4


def test_specialty_list(personas: dict[str, Any], api: Any) -> None:
    from egovpm.reviews.models import Specialty

    state = {"i": 0}

    def grow(n: int) -> None:
        for _ in range(n):
            state["i"] += 1
            Specialty.objects.create(code=f"grown-{state['i']}", name=f"新增专业{state['i']}")

    small, _ = _measure(api("ndrc"), reverse("api:specialties"), grow)
    assert small <= SPECIALTIES_MAX


EXPENDITURES_MAX = 6  # token (2), the project in scope (1), count (1), the page with its lines (1–2)


def test_expenditure_list(personas: dict[str, Any], api: Any) -> None:
    from conftest import advance, make_project
    from egovpm.budgets.models import EstimateLine
    from egovpm.budgets.services import ExpenditureIn, expenditure_add

    project = advance(make_project(personas["staff_a"]), personas, "construction")
    line = EstimateLine.objects.filter(estimate__project=project).order_by("code").first()
    assert line is not None

    def grow(n: int) -> None:
        for i in range(n):
            row = ExpenditureIn(line.code, dt.date(2025, 6, 1), Decimal("100.00"), f"凭证{i}")
            expenditure_add(actor=personas["staff_a"], project_id=project.pk, row=row)

    path = reverse("api:expenditures", kwargs={"project_id": project.pk})
    small, _ = _measure(api("staff_a"), path, grow)
    assert small <= EXPENDITURES_MAX


TEMPLATES_MAX = 4


def test_evaluation_template_list(personas: dict[str, Any], api: Any) -> None:
    from egovpm.evaluations.models import EvaluationTemplate
    from egovpm.evaluations.services import template_add

    before = EvaluationTemplate.objects.count()
    state = {"i": 0}

    def grow(n: int) -> None:
        for _ in range(n):
            state["i"] += 1
            template_add(
                actor=personas["ndrc"],
                name=f"指标模板{state['i']}",
                indicators=[
                    {"name": "运行效率", "weight": "40", "dimension": "efficiency"},
                    {"name": "应用效果", "weight": "60", "dimension": "effect"},
                ],
            )

    small, _ = _measure(api("ndrc"), reverse("api:evaluation-templates"), grow, baseline_rows=before)
    assert small <= TEMPLATES_MAX


ADMIN_MAX = 5


def test_admin_lists(personas: dict[str, Any], api: Any) -> None:
    from conftest import PASSWORD
    from egovpm.accounts.models import Department, User

    moa = Department.objects.get(code="moa")
    users_before = User.objects.count()
    state = {"i": 0}

    def grow_users(n: int) -> None:
        for _ in range(n):
            state["i"] += 1
            User.objects.create_user(username=f"grown.{state['i']}", password=PASSWORD, department=moa)

    small, _ = _measure(api("sys_admin"), reverse("api:admin-users"), grow_users, baseline_rows=0)
    assert small <= ADMIN_MAX
    assert User.objects.count() == users_before + 12

    def grow_departments(n: int) -> None:
        for _ in range(n):
            state["i"] += 1
            Department.objects.create(code=f"grown{state['i']}", name=f"新增部门{state['i']}", kind="local")

    small, _ = _measure(api("sys_admin"), reverse("api:admin-departments"), grow_departments)
    assert small <= ADMIN_MAX
