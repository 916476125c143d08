"""The cockpit's investment figures read each project's money as PostgreSQL keeps it (migration
budgets.0004_project_money, selectors.money_by_department): after any sequence of writes — the
synthetic seeding's COPY, line amounts changed, lines and expenditures added and deleted, an
estimate's baseline set and cleared, a project's lead department moved — the kept sums equal
the sums over the records, for the whole portfolio and for each department's projects."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovpm.accounts.models import Department
from egovpm.audit.services import current_channel
from egovpm.budgets.models import Estimate, EstimateLine, Expenditure
from egovpm.budgets.selectors import money_by_department, money_from_records
from egovpm.ops.synthetic import seed
from egovpm.projects.models import Project

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            (
                "line_amounts",
                "add_line",
                "delete_lines",
                "add_spending",
                "delete_spending",
                "baseline_off",
                "baseline_on",
                "lead_moves",
            )
        ),
        st.integers(min_value=0, max_value=10_000),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def portfolio() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("the kept sums exist on PostgreSQL only (run in the PostgreSQL pass)")
    token = current_channel.set("test")
    seed(projects=40, seed=5, password="Synthetic-Passw0rd-2026")
    yield
    current_channel.reset(token)


def _nth(qs: Any, k: int) -> Any:
    n = qs.count()
    return qs.order_by("pk")[k % n] if n else None


def _apply(operation: str, k: int) -> None:
    if operation == "line_amounts":  # one UPDATE over several projects' lines
        EstimateLine.objects.filter(
            pk__in=EstimateLine.objects.order_by("pk").values("pk")[k % 50 : k % 50 + 30]
        ).update(amount=F("amount") + Decimal(k) / 100)
    elif operation == "add_line":
        estimate = _nth(Estimate.objects.all(), k)
        EstimateLine.objects.create(
            estimate=estimate, code=f"T{k}-{uuid.uuid4().hex[:6]}", name="新增", amount=Decimal(k)
        )
    elif operation == "delete_lines":  # lines nothing was spent on
        free = EstimateLine.objects.filter(expenditures__isnull=True).order_by("pk")
        EstimateLine.objects.filter(pk__in=list(free.values_list("pk", flat=True)[k % 20 : k % 20 + 3])).delete()
    elif operation == "add_spending":
        spent = _nth(Expenditure.objects.all(), k)
        spent.pk, spent.amount = uuid.uuid4(), Decimal(k + 1) / 100
        spent.save(force_insert=True)
    elif operation == "delete_spending":
        Expenditure.objects.filter(
            pk__in=list(Expenditure.objects.order_by("pk").values_list("pk", flat=True)[k % 40 : k % 40 + 5])
        ).delete()
    elif operation == "baseline_off":  # a draft again (as a restore might write it)
        approved = _nth(Estimate.objects.filter(baseline__isnull=False), k)
        if approved is not None:
            Estimate.objects.filter(pk=approved.pk).update(baseline=None)
    elif operation == "baseline_on":
        draft = _nth(Estimate.objects.filter(baseline__isnull=True), k)
        baseline = _nth(Estimate.objects.filter(baseline__isnull=False), k)
        if draft is not None and baseline is not None:
            Estimate.objects.filter(pk=draft.pk).update(baseline=baseline.baseline_id, total=F("total") + 1)
    elif operation == "lead_moves":
        project = _nth(Project.objects.all(), k)
        project.lead_department = _nth(Department.objects.exclude(pk=project.lead_department_id), k)
        project.save(update_fields=["lead_department"])


def _check() -> None:
    assert money_by_department() == money_from_records()
    for department in Department.objects.all():
        scope = Project.objects.filter(lead_department=department)
        assert money_by_department(scope) == money_from_records(scope), department.code


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_the_kept_sums_equal_the_records_after_any_writes(portfolio: None, operations: list[tuple[str, int]]) -> None:
    assert money_by_department()  # the seeding's COPY was counted
    _check()
    with transaction.atomic():
        for operation, k in operations:
            _apply(operation, k)
            _check()
        transaction.set_rollback(True)  # the next example starts from the seeded portfolio
    _check()


def test_a_deleted_project_takes_its_kept_row_along(portfolio: None) -> None:
    project = Expenditure.objects.order_by("pk").first().project
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM budgets_money WHERE project_id = %s", [project.pk])
        assert cursor.fetchone() == (1,)
        cursor.execute("DELETE FROM projects_project WHERE id = %s", [project.pk])  # the statement's trigger
        cursor.execute("SELECT count(*) FROM budgets_money WHERE project_id = %s", [project.pk])
        assert cursor.fetchone() == (0,)
        transaction.set_rollback(True)  # before the foreign keys of the project's records are checked
