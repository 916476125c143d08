"""The procurement register (采购, clause 5; domain.md §11.1) and a project's delivery modes
(服务外包 / 数据托管, clause 11; §11.2). Written only through procurement/services.py."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egovpm.documents.models import Document
from egovpm.procurement.choices import Category, DeliveryModeKind, Method
from egovpm.projects.models import Project


class Procurement(models.Model):
    """One procurement of a project, recorded by its lead department; corrected until the
    project's completion acceptance, frozen afterwards. Amounts are yuan, DecimalField(15, 2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="procurements")
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    method = models.CharField(_("procurement method"), max_length=40, choices=Method.choices)
    subject = models.CharField(_("subject"), max_length=300)
    amount = models.DecimalField(_("contract amount"), max_digits=15, decimal_places=2)
    supplier = models.CharField(_("supplier"), max_length=200)
    supplier_credit_code = models.CharField(_("unified social credit code"), max_length=18)
    contract_no = models.CharField(_("contract number"), max_length=100)
    contract_date = models.DateField(_("contract date"))
    estimate_line = models.CharField(_("sub-project"), max_length=20, blank=True)
    secure_controllable = models.BooleanField(_("secure and controllable"), default=False)
    secure_controllable_basis = models.TextField(_("basis"), blank=True)
    evidence = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("evidence")
    )
    non_tender_reason = models.TextField(_("reason for not tendering"), blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["project", "contract_date", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=Category.values), name="procurement_category_valid"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="procurement_method_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="procurement_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(secure_controllable=False) | ~Q(secure_controllable_basis=""),
                name="procurement_secure_has_basis",
            ),
        ]
        # serves a project's register and the shares' GROUP BY over a set of projects
        indexes = [models.Index(fields=["project", "category"], name="procurement_project_category")]

    def __str__(self) -> str:
        return f"{self.subject} {self.amount}"


class DeliveryMode(models.Model):
    """A delivery mode of a project (clause 11): who provides it, its scope and contract. The
    list is replaced as a whole (PUT /projects/{id}/delivery-modes); Project.service_outsourcing
    and Project.data_hosting are kept in step in the same transaction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="delivery_modes")
    mode = models.CharField(_("mode"), max_length=30, choices=DeliveryModeKind.choices)
    provider = models.CharField(_("provider"), max_length=200)
    scope = models.TextField(_("scope"))
    contract_reference = models.CharField(_("contract reference"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=DeliveryModeKind.values), name="delivery_mode_valid"),
        ]
        indexes = [models.Index(fields=["project", "position"], name="delivery_mode_project")]

    def __str__(self) -> str:
        return f"{self.mode} {self.provider}"
