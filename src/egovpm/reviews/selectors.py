"""Reads of the reviews app. Every read starts from the user's project scope
(projects.policies.restrict / project_for): an out-of-scope review is 404 like a missing one."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db import connection
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.compliance import selectors as compliance
from egovpm.core.errors import Forbidden, NotFound
from egovpm.projects import policies as project_policies
from egovpm.projects.models import Participation, Project
from egovpm.reviews import policies
from egovpm.reviews.choices import ReviewStatus
from egovpm.reviews.errors import ReviewError
from egovpm.reviews.filters import ReviewFilter
from egovpm.reviews.models import ExpertProfile, ExpertReview, NeedsAnalysis, Opinion, PanelMember, Specialty
from egovpm.rules import engine


def min_panel_size(regime: str = "r2007") -> int:
    """The smallest panel NDRC may form: C10.1's pack parameter `min_panel_size` (default 3)."""
    pack = engine.load_pack(regime)
    try:
        return int(pack.rule("C10.1").params.get("min_panel_size", 3))
    except KeyError:
        return 3


def _with_panel(qs: QuerySet[ExpertReview]) -> QuerySet[ExpertReview]:
    return qs.select_related("project", "project__lead_department", "organised_by", "concluded_by").prefetch_related(
        Prefetch("members", queryset=PanelMember.objects.select_related("expert", "expert__department")),
        # in the order given (ties: in the order written), as review_panels reads them
        Prefetch("opinions", queryset=Opinion.objects.select_related("expert").order_by("given_at", "pk")),
    )


def _mine(user: User) -> Q:
    """The reviews a reader other than NDRC and MoF reads, inside their project scope: a
    department's staff and leaders those of the projects it leads or takes part in; an expert the
    panels they sit on (of a project in their scope).

    The department's projects are one `project_id IN (… UNION ALL …)` that two indexes answer
    (project_lead_id, participation_by_department), never a join nor an OR with the scope: those
    made PostgreSQL scan every review (800 ms at 100,000 projects). A department's projects are
    in its scope by definition (projects.policies), so only the panels arm, which the scope does
    not imply, is put inside it — and only for a user with an assignable role: without one the
    scope is the department's projects, which already hold any panel of theirs in scope."""
    scope = project_policies.scope_q(user, "review")
    in_scope = Q(project_id__in=Project.objects.filter(scope or Q()).order_by().values("pk"))
    panels = Q(pk__in=PanelMember.objects.filter(expert_id=user.pk).values("review_id")) & in_scope
    if not (user.is_active and user.has_role(Role.DEPT_STAFF, Role.DEPT_LEADER) and user.department_id):
        return panels
    own = (
        Project.objects.filter(lead_department_id=user.department_id)
        .order_by()
        .values("pk")
        .union(
            Participation.objects.filter(department_id=user.department_id).order_by().values("project_id"),
            all=True,
        )
    )
    mine = Q(project_id__in=own)
    if user.has_role(*project_policies.ASSIGNABLE_ROLES):
        mine |= panels
    return mine


def _visible(user: User, qs: QuerySet[ExpertReview]) -> QuerySet[ExpertReview]:
    """`qs` narrowed to what `user` reads (the table of docs/reviews.md): NDRC and MoF every review
    (no condition at all: every review has a project), the others _mine."""
    if not user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER):
        return qs.filter(_mine(user))
    if project_policies.scope_q(user, "review") is not None:  # an inactive reader: nothing
        return qs.filter(project__in=project_policies.restrict(user, "review"))
    return qs


def review_list(*, user: User, project_id: Any = None, status: str = "") -> QuerySet[ExpertReview]:
    """The reviews the user may read: NDRC all; experts only the panels they sit on; MoF and the
    project's own departments those of the projects in their scope. With `project_id`, that
    project's (404 outside scope, 403 for roles that do not read reviews)."""
    qs = ExpertReview.objects.all()
    if project_id is not None:
        project = project_policies.project_for(user, project_id, "review")
        project_policies.require(policies.may_read_reviews_of(user, project), ReviewError.REVIEWS_NOT_READ)
        qs = qs.filter(project=project)
    elif not user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER, Role.DEPT_STAFF, Role.DEPT_LEADER, Role.EXPERT):
        return qs.none()
    qs = _visible(user, qs)
    # The list's one FilterSet (reviews/filters.py), the API's and the page's; a value the callers
    # did not validate selects nothing.
    filters = ReviewFilter({"status": status}, queryset=qs)
    if not filters.is_valid():
        return qs.none()
    return _with_panel(filters.qs).order_by(*LIST_ORDER)


# The review lists' order: the newest panel first (ties by id: one place for every row).
LIST_ORDER = ("-formed_at", "pk")


class Paged:
    """A review list for Django's Paginator (the 专家评议 page's and the API's, DRF's): its count,
    and a page read in one query — the page's ids in the list's order (`ordering`, ending in the
    primary key), an index-only top-N (review_formed_id; a department's reviews by
    review_project_formed), and only those rows read and joined by `read`. PostgreSQL otherwise
    read and joined every matching review before it sorted them (120 ms for a department at
    100,000 projects)."""

    ordered = True  # Paginator's check: the ids are read in `ordering`

    def __init__(
        self,
        qs: QuerySet[ExpertReview],
        ordering: Sequence[Any],
        read: Callable[[QuerySet[ExpertReview]], list[Any]],
        count: Callable[[], int] | None = None,
    ) -> None:
        """`count`: the list's exact count when there is a cheaper way than counting `qs`
        (whole_count)."""
        self.qs = qs.select_related(None).prefetch_related(None).order_by()
        self.ordering = tuple(ordering)
        self.read = read
        self.counter = count

    def count(self) -> int:
        return self.counter() if self.counter is not None else self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, key: int) -> Any: ...
    @overload
    def __getitem__(self, key: slice) -> list[Any]: ...
    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, int):
            return self[key : key + 1][0]
        ids = self.qs.order_by(*self.ordering).values("pk")[key]
        return self.read(ExpertReview.objects.filter(pk__in=ids).order_by(*self.ordering))


def review_total(status: str = "") -> int:
    """How many reviews there are (of `status`): on PostgreSQL one or two rows kept by triggers in
    the writing transactions (migration reviews.0006_review_totals: exact, not an estimate),
    elsewhere COUNT(*)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if status:
                cursor.execute("SELECT coalesce(sum(total), 0) FROM reviews_total WHERE status = %s", [status])
            else:
                cursor.execute("SELECT coalesce(sum(total), 0) FROM reviews_total")
            return int(cursor.fetchone()[0])
    qs = ExpertReview.objects.all()
    return qs.filter(status=status).count() if status else qs.count()


def whole_count(user: User, status: str = "") -> Callable[[], int] | None:
    """The count of review_list(user=user, status=status) — without a project — when it is every
    review (of the status), as NDRC and MoF read them: review_total; None for the others."""
    if user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER) and project_policies.scope_q(user, "review") is None:
        return lambda: review_total(status)
    return None


# What the 专家评议 list, the project's tab and the export show of a review and its project.
LIST_COLUMNS = (
    "id",
    "project_id",
    "project__name",
    "project__code",
    "formed_at",
    "formed_by",
    "status",
    "conclusion",
    "due_on",
)


def listed(qs: QuerySet[ExpertReview], user: User) -> list[dict[str, Any]]:
    """The rows of `qs` (ordered) for the 专家评议 list, the tab and the export, as plain dicts:
    LIST_COLUMNS and, from one query of the panels, `size` (the panel's experts), `given` (how many
    of them gave an opinion), `member` (the reader sits on the panel) and `mine` (and gave theirs)."""
    rows = list(qs.values(*LIST_COLUMNS))
    panels: dict[Any, list[tuple[Any, bool]]] = {r["id"]: [] for r in rows}
    given = Opinion.objects.filter(review_id=OuterRef("review_id"), expert_id=OuterRef("expert_id"))
    members = (
        PanelMember.objects.filter(review_id__in=list(panels))
        .order_by()
        .annotate(has=Exists(given))
        .values_list("review_id", "expert_id", "has")
    )
    for review_id, expert_id, has in members:
        panels[review_id].append((expert_id, has))
    for r in rows:
        panel = panels[r["id"]]
        r["size"] = len(panel)
        r["given"] = sum(1 for _e, has in panel if has)
        r["member"] = any(e == user.pk for e, _has in panel)
        r["mine"] = any(e == user.pk and has for e, has in panel)
    return rows


def review_panels(reviews: list[dict[str, Any]], user: User) -> tuple[dict[Any, list[Any]], dict[Any, list[Any]]]:
    """The panels and the opinions `user` sees (visible_opinions) of `reviews` (dicts with `id` and
    `status`), by review id, as plain dicts in two queries: each member's expert (username, name,
    department code) and whether they gave an opinion, in the panel's order; the opinions in the
    order given, with their expert's username."""
    ids = [r["id"] for r in reviews]
    members: dict[Any, list[Any]] = {pk: [] for pk in ids}
    opinions: dict[Any, list[Any]] = {pk: [] for pk in ids}
    if not ids:
        return members, opinions
    given = Opinion.objects.filter(review_id=OuterRef("review_id"), expert_id=OuterRef("expert_id"))
    for m in (
        PanelMember.objects.filter(review_id__in=ids)
        .annotate(has_opinion=Exists(given))
        .order_by("review_id", "position")
        .values(
            "review_id",
            "expert_id",
            "expert__username",
            "expert__display_name",
            "expert__department__code",
            "has_opinion",
        )
    ):
        members[m["review_id"]].append(m)
    visible = Opinion.objects.filter(review_id__in=ids)
    if not policies.is_ndrc(user):  # before the conclusion each expert sees only their own
        concluded = [r["id"] for r in reviews if r["status"] == ReviewStatus.CONCLUDED]
        visible = visible.filter(Q(review_id__in=concluded) | Q(expert_id=user.pk))
    for o in visible.order_by("given_at", "pk").values(
        "review_id",
        "expert__username",
        "recommendation",
        "text",
        "given_at",
        "updated_at",
        "attachment_name",
        "attachment_size",
        "attachment_sha256",
        "attachment_sm3",
    ):
        opinions[o["review_id"]].append(o)
    return members, opinions


def review_for(*, user: User, review_id: Any) -> ExpertReview:
    """A review the user may read, in the order of domain.md §4: scope 404 (an expert who is not on
    the panel gets 404 too), then role 403."""
    try:
        pk = uuid.UUID(str(review_id))
    except ValueError:
        raise NotFound(ReviewError.REVIEW_NOT_FOUND) from None
    review = _with_panel(ExpertReview.objects.filter(pk=pk)).first()
    if review is None:
        raise NotFound(ReviewError.REVIEW_NOT_FOUND)
    project = project_policies.project_for(user, review.project_id, "review")
    in_department = project_policies.is_lead_member(user, project) or project_policies.is_participant_member(
        user, project
    )
    reads_all = user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER) or in_department
    if user.has_role(Role.EXPERT) and not reads_all and not any(m.expert_id == user.pk for m in review.members.all()):
        raise NotFound(ReviewError.REVIEW_NOT_FOUND)
    if not policies.may_read_reviews_of(user, project):
        raise Forbidden(ReviewError.REVIEWS_NOT_READ)
    return review


def visible_opinions(*, user: User, review: ExpertReview) -> list[Opinion]:
    """All opinions once concluded (or for NDRC); otherwise only the user's own."""
    opinions = list(review.opinions.all())
    if policies.may_see_opinions(user, review):
        return opinions
    return [o for o in opinions if o.expert_id == user.pk]


def opinion_of(*, review: ExpertReview, expert_id: Any) -> Opinion | None:
    return next((o for o in review.opinions.all() if o.expert_id == expert_id), None)


def draw_select(seed: str, candidates: list[str], size: int) -> list[str]:
    """The reproducible draw: rank every candidate by SHA-256("<seed>:<username>") and take the
    `size` smallest. Anyone can replay it from the recorded seed and candidate list with any
    SHA-256 tool; it does not depend on Python's random module or its version."""
    import hashlib

    ranked = sorted(candidates, key=lambda u: (hashlib.sha256(f"{seed}:{u}".encode()).hexdigest(), u))
    return ranked[:size]


@dataclass(frozen=True)
class DrawReplay:
    seed: str
    size: int
    candidates: list[str]
    excluded: list[dict[str, Any]]
    recorded: list[str]
    replayed: list[str]

    @property
    def matches(self) -> bool:
        return self.recorded == self.replayed


def draw_replay(*, review: ExpertReview) -> DrawReplay | None:
    """Replay a drawn panel from its record: None for a panel NDRC named."""
    if not review.draw_seed:
        return None
    size = review.draw_size or 0
    recorded = [m.expert.username for m in review.members.all()]
    return DrawReplay(
        seed=review.draw_seed,
        size=size,
        candidates=list(review.draw_candidates),
        excluded=list(review.draw_excluded),
        recorded=recorded,
        replayed=draw_select(review.draw_seed, list(review.draw_candidates), size),
    )


def expert_pool(*, user: User, specialty: str = "", active: bool | None = None) -> QuerySet[ExpertProfile]:
    project_policies.require(policies.may_manage_pool(user), ReviewError.POOL_NDRC_ONLY)
    qs = ExpertProfile.objects.select_related("user", "user__department").prefetch_related("specialties")
    if specialty:
        qs = qs.filter(specialties__code=specialty)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("user__username")


def specialties(*, active_only: bool = False) -> QuerySet[Specialty]:
    qs = Specialty.objects.all()
    return qs.filter(active=True) if active_only else qs


def needs_analysis_of(*, project: Project) -> NeedsAnalysis | None:
    return NeedsAnalysis.objects.filter(project=project).prefetch_related("co_authors").first()


def expert_todo(*, user: User) -> QuerySet[ExpertReview]:
    """待办 of an expert: open panels they sit on (with or without their opinion yet), the soonest
    due first; `mine` says whether they have given their opinion already. The caller bounds it."""
    if not user.has_role(Role.EXPERT):
        return ExpertReview.objects.none()
    return (
        ExpertReview.objects.filter(status=ReviewStatus.OPEN, members__expert_id=user.pk)
        .filter(project__in=project_policies.restrict(user, "review"))
        .annotate(mine=Exists(Opinion.objects.filter(review=OuterRef("pk"), expert_id=user.pk)))
        .select_related("project")
        .defer(*_NOT_IN_TODO)
        .order_by(F("due_on").asc(nulls_last=True), "formed_at", "pk")
    )


# What 待办 does not show of a review and its project (it links to the review, names the project).
_NOT_IN_TODO = (
    "draw_specialties",
    "draw_candidates",
    "draw_excluded",
    "conclusion_text",
    "record",
    "project__construction_goals",
    "project__main_content",
)


def ndrc_todo(*, user: User) -> QuerySet[ExpertReview]:
    """待办 of NDRC: open panels whose every member has given an opinion (ready to conclude), the
    soonest due first — one query: no member without an opinion. ndrc_todo_bounded bounds it."""
    if not user.has_role(Role.NDRC_OFFICER):
        return ExpertReview.objects.none()
    silent = PanelMember.objects.filter(review=OuterRef("pk")).exclude(
        expert_id__in=Opinion.objects.filter(review=OuterRef(OuterRef("pk"))).values("expert_id")
    )
    return (
        ExpertReview.objects.filter(status=ReviewStatus.OPEN)
        .filter(~Exists(silent))
        .select_related("project")
        .defer(*_NOT_IN_TODO)
        .order_by(F("due_on").asc(nulls_last=True), "formed_at", "pk")
    )


def ndrc_todo_bounded(*, user: User, limit: int) -> tuple[list[ExpertReview], int]:
    """The `limit` first rows of ndrc_todo and how many there are, in one query (core.bounded's
    shape). The rows come from the open panels' index, `NOT EXISTS` a silent member, which stops
    at the `limit`-th; the count from the same panels written as "as many members as members
    with an opinion" (one seat per expert and panel): two scalar subqueries per open panel that
    panel_member_once and one_opinion_per_expert answer from the index alone — PostgreSQL made
    the NOT EXISTS count a hash anti-join over every panel member of the portfolio (300 ms at
    100,000 projects)."""
    qs = ndrc_todo(user=user)
    if qs.query.is_empty():
        return [], 0
    members = PanelMember.objects.filter(review=OuterRef("pk")).order_by()
    answered = members.filter(
        Exists(Opinion.objects.filter(review_id=OuterRef("review_id"), expert_id=OuterRef("expert_id")))
    )
    ready = (
        ExpertReview.objects.filter(status=ReviewStatus.OPEN)
        .alias(size=_count(members, "expert_id"), given=_count(answered, "expert_id"))
        .filter(size=F("given"))
    )
    rows = list(qs.annotate(**{_READY_TOTAL: _count(ready, "pk")})[:limit])
    return rows, int(getattr(rows[0], _READY_TOTAL)) if rows else 0


_READY_TOTAL = "ready_total_"  # the annotation holding ndrc_todo_bounded's count


def _count(qs: QuerySet[Any], field: str) -> Subquery:
    """`SELECT COUNT(field)` of `qs` (a non-null field) as a scalar subquery: 0 for no row."""
    return Subquery(
        qs.order_by().annotate(n=Func(F(field), function="COUNT")).values("n")[:1], output_field=IntegerField()
    )


HISTORY_LIMIT = 50


# The department's 自主可控 shares come from its record (egovpm.portfolio registers the function:
# reviews may not import the apps above it, tests/core/test_import_graph.py).
_department_shares: list[Callable[[Project], Any]] = []


def register_department_shares(fn: Callable[[Project], Any]) -> None:
    _department_shares[:] = [fn]


def department_shares(*, project: Project) -> Any:
    """C5.1's seam beside a new proposal: the 自主可控 shares over every procurement of the projects
    the lead department leads — the department record's `procurement_shares` (domain.md §11.1,
    §11.4); None while nothing provides them (procurement not installed)."""
    return _department_shares[0](project) if _department_shares else None


def department_history(
    *, project: Project, language: str = "zh", limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """C5.1's seam beside a new proposal: the lead department's other projects (its track record),
    the `limit` most recent, with their compliance summary — counts of failing rules by severity —
    read from the stored verdicts (egovpm.compliance, ADR 0013: made fresh first), and how many
    there are in all. The 自主可控 procurement shares are department_shares()."""
    limit = limit or HISTORY_LIMIT
    others = Project.objects.filter(lead_department_id=project.lead_department_id).exclude(pk=project.pk)
    total = others.count()
    earlier = list(others.select_related("lead_department").order_by("-created_at", "code")[:limit])
    compliance.ensure_fresh(earlier)
    verdicts = compliance.verdicts_for(earlier)
    rows = []
    for p in earlier:
        verdict = verdicts.get(p.pk)
        results = compliance.stored_results(verdict, p.regime, language) if verdict is not None else []
        counts = {"gate": 0, "violation": 0, "warning": 0, "info": 0, "error": 0}
        failing = []
        for r in results:
            if r.status == "error":
                counts["error"] += 1
                failing.append(r)
            elif r.status == "fail":
                counts[r.severity] = counts.get(r.severity, 0) + 1
                failing.append(r)
        rows.append({"project": p, "counts": counts, "failing": failing})
    return rows, total
