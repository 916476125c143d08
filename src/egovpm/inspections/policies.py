"""Who may do what with inspections. Scope first (projects.policies.project_for → 404: NDRC and
MoF, the lead and participating departments, the inspectors assigned to the project), then these
role questions (→ 403)."""

from __future__ import annotations

from typing import Any

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.inspections.models import Inspection, InspectionInspector
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project


def may_open(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER))


def is_own_inspector(user: User, inspection: Inspection) -> bool:
    """An inspector of this very inspection (not merely assigned to its project)."""
    return bool(
        user.has_role(Role.INSPECTOR)
        and InspectionInspector.objects.filter(inspection=inspection, user_id=user.pk).exists()
    )


def own_inspections(user: User, inspection_ids: list[Any]) -> set[Any]:
    """is_own_inspector for many inspections at once (one query): the ids it allows."""
    if not user.has_role(Role.INSPECTOR) or not inspection_ids:
        return set()
    return set(
        InspectionInspector.objects.filter(inspection_id__in=inspection_ids, user_id=user.pk).values_list(
            "inspection_id", flat=True
        )
    )


def may_answer(user: User, project: Project) -> bool:
    """The lead department answers (participants read, but the rectification is the lead's)."""
    return project_policies.is_lead_member(user, project)
