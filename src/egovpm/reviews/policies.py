"""Who may do what with expert reviews (domain.md §2 and §10).

Scope first (projects.policies.project_for → 404), then these role checks (403). An expert reaches
a review only as a member of its panel: any other review answers 404, so its existence does not
leak even on a project the expert is assigned to for another panel."""

from __future__ import annotations

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Project
from egovpm.reviews.choices import ReviewStatus
from egovpm.reviews.models import ExpertReview


def is_ndrc(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER))


def may_manage_pool(user: User) -> bool:
    """NDRC keeps the expert pool and the list of specialties."""
    return is_ndrc(user)


def may_organise(user: User) -> bool:
    """NDRC forms panels and concludes them (clause 10: 国家发展改革委组织专家评议)."""
    return is_ndrc(user)


def is_member(user: User, review: ExpertReview) -> bool:
    return bool(user.has_role(Role.EXPERT) and review.members.filter(expert_id=user.pk).exists())


def may_read_reviews_of(user: User, project: Project) -> bool:
    """Who, among those who can see the project, may read its reviews: NDRC, MoF (reads every
    project), the lead and participating departments, and experts (their own panels only)."""
    if user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER, Role.EXPERT):
        return True
    return project_policies.is_lead_member(user, project) or project_policies.is_participant_member(user, project)


def may_see_opinions(user: User, review: ExpertReview) -> bool:
    """Opinions are independent: before the conclusion only NDRC sees them all (each expert sees
    their own); afterwards they are part of the record everyone with access reads."""
    return review.status == ReviewStatus.CONCLUDED or is_ndrc(user)


def may_set_co_authors(user: User, project: Project) -> bool:
    """The lead department records who co-authored its needs-analysis report (C10.2)."""
    return project_policies.may_edit(user, project)
