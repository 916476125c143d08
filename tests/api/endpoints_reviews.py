"""Permission expectations of the reviews app's endpoints (see endpoints.py for the columns).

The review builders move the side's project into needs analysis and form a panel of the side's
assigned expert (`expert_assigned` / `expert_other`) and two pool experts of the agency; the
*_other expert of the own side is not assigned to the project at all (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .endpoints import BUSINESS, LEAD_EDIT, NDRC_ONLY, SUMMARY, Call, Ctx, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
# Reviews are read by NDRC, MoF, the project's departments and the panel's experts; inspectors and
# archivists assigned to the project see the project but not its reviews (403).
REVIEW_READ = "401  200 200 404 404 200  200 200  200 404 403 404 403 404  403 403 403"
REVIEW_FORM = "401  403 403 404 404 403  201 403  403 404 403 404 403 404  403 403 403"
OPINION     = "401  403 403 404 404 403  403 403  201 404 403 404 403 404  403 403 403"
DRAW_AUDIT  = "401  403 403 404 404 403  200 200  403 404 403 404 403 404  403 403 403"
POOL_READ   = "401  403 403 403 403 403  200 403  403 403 403 403 403 403  403 403 403"
POOL_ADD    = "401  403 403 403 403 403  201 403  403 403 403 403 403 403  403 403 403"
# fmt: on


def _user(username: str) -> Any:
    from egovpm.accounts.models import User

    return User.objects.get(username=username)


def _pool(ctx: Ctx) -> list[str]:
    """Two agency experts in the pool plus the side's assigned expert (given a profile)."""
    from egovpm.accounts.models import User
    from egovpm.accounts.services import user_add
    from egovpm.reviews.services import expert_profile_set

    from .endpoints import PASSWORD

    ndrc = _user("ndrc")
    names = []
    for n in (1, 2):
        username = f"pool.expert{n}"
        if not User.objects.filter(username=username).exists():
            user_add(actor=None, username=username, department_code="agency", roles=["expert"], password=PASSWORD)
            expert_profile_set(actor=ndrc, username=username, specialties=["gov_apps"])
        names.append(username)
    mine = ctx.p("expert_assigned")
    from egovpm.reviews.models import ExpertProfile

    if not ExpertProfile.objects.filter(user__username=mine).exists():
        expert_profile_set(actor=ndrc, username=mine, specialties=["gov_apps", "data_resources"])
    return [mine, *names]


def _needs_analysis(ctx: Ctx) -> None:
    from conftest import ready_for
    from egovpm.projects.services import project_transition

    ctx.project.refresh_from_db()
    if ctx.project.stage == "draft":
        ready_for(ctx.project, "submit_needs_analysis", dt.date(2026, 11, 1))
        project_transition(
            actor=_user(ctx.p("staff_a")),
            project_id=ctx.project.pk,
            action="submit_needs_analysis",
            effective_date=dt.date(2026, 11, 1),
        )


def _review(ctx: Ctx, *, opinions: bool = False, concluded: bool = False, attachment: bool = False) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egovpm.reviews.services import opinion_give, review_conclude, review_form

    _needs_analysis(ctx)
    experts = _pool(ctx)
    review = review_form(actor=_user("ndrc"), project_id=ctx.project.pk, experts=experts)
    if opinions or concluded:
        for i, name in enumerate(experts):
            file = (
                SimpleUploadedFile("意见.txt", "补充意见".encode(), content_type="text/plain") if attachment else None
            )
            opinion_give(
                actor=_user(name),
                review_id=review.pk,
                recommendation="approve",
                text=f"专家{i + 1}：同意",
                attachment=file if i == 0 else None,
            )
    if concluded:
        review_conclude(actor=_user("ndrc"), review_id=review.pk, conclusion="approve", text="同意通过")
    return review


def _rid(name: str, **kw: bool) -> Any:
    return lambda ctx: Call(_url(name, review_id=str(_review(ctx, **kw).pk)))


def _form(ctx: Ctx) -> Call:
    _needs_analysis(ctx)
    return Call(_url("expert-reviews", project_id=ctx.pid), {"experts": _pool(ctx)})


def _opinion(ctx: Ctx) -> Call:
    review = _review(ctx)
    return Call(
        _url("expert-review-opinions", review_id=str(review.pk)), {"recommendation": "revise", "text": "修改后同意"}
    )


def _conclude(ctx: Ctx) -> Call:
    review = _review(ctx, opinions=True)
    return Call(_url("expert-review-conclude", review_id=str(review.pk)), {"conclusion": "approve", "text": "同意"})


def _attachment(ctx: Ctx) -> Call:
    review = _review(ctx, concluded=True, attachment=True)
    first = review.members.order_by("position").first().expert.username
    return Call(_url("expert-review-attachment", review_id=str(review.pk), username=first))


def _expert_add(ctx: Ctx) -> Call:
    from egovpm.accounts.services import user_add

    from .endpoints import PASSWORD

    user_add(actor=None, username="new.expert", department_code="agency", roles=["expert"], password=PASSWORD)
    return Call(_url("experts"), {"user": "new.expert", "specialties": ["data_resources"], "title": "研究员"})


def _expert_patch(ctx: Ctx) -> Call:
    _pool(ctx)
    return Call(_url("expert", username="pool.expert1"), {"active": False, "specialties": ["archives"]})


def _co_authors(ctx: Ctx) -> Call:
    body = {"co_authors": ["prov"] if ctx.side == "own" else []}
    return Call(_url("needs-analysis", project_id=ctx.pid), body)


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "expert-reviews",
        "get",
        lambda ctx: Call(_url("expert-reviews", project_id=str(_review(ctx).project_id))),
        REVIEW_READ,
        project_scoped=True,
    ),
    Endpoint("expert-reviews", "post", _form, REVIEW_FORM, project_scoped=True),
    Endpoint("expert-review-list", "get", lambda ctx: Call(_url("expert-review-list")), BUSINESS),
    Endpoint("expert-review", "get", _rid("expert-review"), REVIEW_READ, project_scoped=True),
    Endpoint("expert-review-opinions", "post", _opinion, OPINION, project_scoped=True),
    Endpoint("expert-review-attachment", "get", _attachment, REVIEW_READ, project_scoped=True),
    Endpoint("expert-review-conclude", "post", _conclude, NDRC_ONLY, project_scoped=True),
    Endpoint(
        "expert-review-document",
        "get",
        _rid("expert-review-document", concluded=True),
        REVIEW_READ,
        project_scoped=True,
    ),
    Endpoint("expert-review-draw", "get", lambda ctx: _draw(ctx), DRAW_AUDIT, project_scoped=True),
    Endpoint("experts", "get", lambda ctx: Call(_url("experts")), POOL_READ),
    Endpoint("experts", "post", _expert_add, POOL_ADD),
    Endpoint("expert", "patch", _expert_patch, POOL_READ),
    Endpoint("specialties", "get", lambda ctx: Call(_url("specialties")), BUSINESS),
    Endpoint(
        "specialties", "post", lambda ctx: Call(_url("specialties"), {"code": "ai", "name": "人工智能"}), POOL_ADD
    ),
    Endpoint("specialty", "patch", lambda ctx: Call(_url("specialty", code="archives"), {"active": False}), POOL_READ),
    Endpoint(
        "needs-analysis",
        "get",
        lambda ctx: Call(_url("needs-analysis", project_id=ctx.pid)),
        SUMMARY,
        project_scoped=True,
    ),
    Endpoint("needs-analysis", "put", _co_authors, LEAD_EDIT, project_scoped=True),
    Endpoint(
        "department-history",
        "get",
        lambda ctx: Call(_url("department-history", project_id=ctx.pid)),
        NDRC_ONLY,
        project_scoped=True,
    ),
]


def _draw(ctx: Ctx) -> Call:
    from egovpm.reviews.services import DrawRequest, review_form

    _needs_analysis(ctx)
    _pool(ctx)
    review = review_form(
        actor=_user("ndrc"), project_id=ctx.project.pk, draw=DrawRequest(size=3, specialties=("gov_apps",))
    )
    return Call(_url("expert-review-draw", review_id=str(review.pk)))
