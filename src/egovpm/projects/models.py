from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import Department
from egovpm.projects.choices import Action, AssignmentTask, Stage

CODE_REGEX = r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$"


class Project(models.Model):
    """电子政务项目 (domain.md §3). `stage` changes only through services.project_transition."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("project code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=200)
    regime = models.CharField(max_length=10, default="r2007")
    lead_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="led_projects")
    participating_departments = models.ManyToManyField(
        Department, through="Participation", related_name="participating_projects", blank=True
    )
    joint_central_local = models.BooleanField(_("joint central–local project"), default=False)
    responsible_leader_name = models.CharField(_("responsible leader"), max_length=100, blank=True)
    responsible_leader_title = models.CharField(_("leader's title"), max_length=100, blank=True)
    business_unit = models.CharField(_("business unit"), max_length=200, blank=True)
    technical_unit = models.CharField(_("technical-support unit"), max_length=200, blank=True)
    construction_goals = models.TextField(_("construction goals"), blank=True)
    main_content = models.TextField(_("main construction content"), blank=True)
    service_outsourcing = models.BooleanField(_("service outsourcing"), default=False)
    data_hosting = models.BooleanField(_("data hosting"), default=False)
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.DRAFT)
    completion_entrusted = models.BooleanField(default=False)
    completion_entrusted_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Optimistic counter so concurrent edits are detected; transitions lock the row instead.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=Stage.values), name="project_stage_valid"),
            models.CheckConstraint(condition=models.Q(code__regex=CODE_REGEX), name="project_code_format"),
        ]
        indexes = [
            # serves the project list's stage filter
            models.Index(fields=["stage"], name="project_stage"),
            # The project list's order, newest first (selectors.LIST_ORDER): the first page and
            # every keyset page read 50 index entries instead of sorting the table. On PostgreSQL
            # it carries the lead department, the id and the name (INCLUDE): a scoped or searched
            # page's keys are read from the index alone, the scope (`lead = d OR id IN …`) and `q`
            # judged on its entries (core.api.KeysetPagination `keys_first`; migrations 0006, 0007).
            models.Index(
                models.F("created_at").desc(),
                "code",
                name="project_newest_first",
                include=["lead_department", "id", "name"],
            ),
            # A department's own projects in the list's order (policies.scope_q: the lead half).
            models.Index("lead_department", models.F("created_at").desc(), "code", name="project_lead_newest"),
            # A department's own projects' ids from the index alone: the count of a scope as the
            # UNION of its conditions' ids (selectors.project_list_count), `project_id IN (the
            # department's projects)` of the other apps' scoped lists.
            models.Index(fields=["lead_department", "id"], name="project_lead_id"),
            # The list page's sort by name (selectors.LIST_SORTS), either direction: `code`
            # (unique) orders equal names; the sort by code reads the unique index on `code`.
            models.Index(fields=["name", "code"], name="project_name_code"),
        ]
        # On PostgreSQL, migration 0002 also adds trigram indexes for the list's `q` (name and
        # code, ILIKE '%…%'): they live in that migration only, SQLite has no such index type.

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Participation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "department"], name="participate_once")]
        # the department side of policies.scope_q (a department's participations, by project)
        indexes = [models.Index(fields=["department", "project"], name="participation_by_department")]


class StageEvent(models.Model):
    """One recorded lifecycle move: who, when (server time), effective date, comment."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32, choices=Action.choices)
    from_stage = models.CharField(max_length=24, choices=Stage.choices)
    to_stage = models.CharField(max_length=24, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    effective_date = models.DateField()
    comment = models.TextField(blank=True)
    approval_reference = models.CharField(max_length=100, blank=True)
    entrusted = models.BooleanField(default=False)  # completion acceptance by the entrusted department
    # What the gates said when the move was made (style.md habit 4: verdicts name their pack).
    pack_version = models.CharField(max_length=40, blank=True)
    pack_sha256 = models.CharField(max_length=64, blank=True)
    gate_results = models.JSONField(default=list)

    class Meta:
        ordering = ["project", "seq"]
        constraints = [models.UniqueConstraint(fields=["project", "seq"], name="stage_event_seq_unique")]
        indexes = [
            # 已办: the events a user recorded, newest first (projects.selectors.events_by_actor)
            models.Index(fields=["actor", "-at", "-seq"], name="stage_event_by_actor"),
        ]


class Assignment(models.Model):
    """NDRC grants a user (archivist, inspector, evaluator, expert) access to one project for a task."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    task = models.CharField(max_length=16, choices=AssignmentTask.choices)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user", "task"], name="assign_once_per_task")]


class CodeSequence(models.Model):
    """Last sequence number issued per code prefix. Numbers only go up: a code is never reused."""

    prefix = models.CharField(max_length=17, primary_key=True)  # YYYY-RRRRRR-DD-TT
    last = models.PositiveIntegerField(default=0)
