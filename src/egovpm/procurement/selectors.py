"""Reads of the procurement register and delivery modes — always through the project's scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from egovpm.accounts.models import Department, User
from egovpm.core.errors import NotFound
from egovpm.procurement import policies
from egovpm.procurement.errors import ProcurementError
from egovpm.procurement.models import DeliveryMode, Procurement
from egovpm.procurement.shares import Shares, from_groups, shares_for
from egovpm.projects.models import Project


def procurement_list(*, project: Project) -> QuerySet[Procurement]:
    """A project's procurements in contract order (the register)."""
    return Procurement.objects.filter(project=project).order_by("contract_date", "created_at", "pk")


def procurement_totals(*, project: Project) -> dict[str, Any]:
    """The register's totals in one query: items, amount, and the 自主可控 part of both."""
    row = Procurement.objects.filter(project=project).aggregate(
        n=Count("id"),
        total=Sum("amount"),
        n_secure=Count("id", filter=Q(secure_controllable=True)),
        total_secure=Sum("amount", filter=Q(secure_controllable=True)),
    )
    return {
        "count": row["n"],
        "amount": f"{row['total'] or Decimal(0):.2f}",
        "count_secure": row["n_secure"],
        "amount_secure": f"{row['total_secure'] or Decimal(0):.2f}",
    }


def project_shares(*, project: Project) -> Shares:
    return shares_for(Project.objects.filter(pk=project.pk))


def project_figures(*, project: Project) -> tuple[dict[str, Any], Shares]:
    """procurement_totals and project_shares of one project from ONE query (GROUP BY category,
    secure_controllable): the totals are the sums of the groups (exact: decimal sums)."""
    rows: list[tuple[str, bool, Decimal, int]] = [
        (category, secure, amount or Decimal(0), n)
        for category, secure, amount, n in Procurement.objects.filter(project=project)
        .order_by()
        .values_list("category", "secure_controllable")
        .annotate(total=Sum("amount"), n=Count("id"))
    ]
    secure_rows = [r for r in rows if r[1]]
    totals = {
        "count": sum(r[3] for r in rows),
        "amount": f"{sum((r[2] for r in rows), Decimal(0)):.2f}",
        "count_secure": sum(r[3] for r in secure_rows),
        "amount_secure": f"{sum((r[2] for r in secure_rows), Decimal(0)):.2f}",
    }
    return totals, from_groups(rows)


def department_for(*, user: User, code: str) -> Department:
    """The department if `user` may read its figures (NDRC, MoF, the department itself), else 404."""
    department = Department.objects.filter(code=code).first()
    if department is None or not policies.may_read_department(user, department):
        raise NotFound(ProcurementError.DEPARTMENT_NOT_FOUND)
    return department


def department_shares(*, department: Department) -> Shares:
    """The shares over every project the department leads (one query)."""
    return shares_for(Project.objects.filter(lead_department=department))


def delivery_modes(*, project: Project) -> list[DeliveryMode]:
    return list(DeliveryMode.objects.filter(project=project).order_by("position"))
